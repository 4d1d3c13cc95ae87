using Domus.Cli;

return Cli.Run(CommandContext.Console, args);
