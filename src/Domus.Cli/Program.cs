using Domus.Cli;

return await Cli.RunAsync(CommandContext.Console, args);
