using Domus.Api;
using Domus.Cli.Commands;

namespace Domus.Cli;

/// <summary>The <c>domus</c> command line: the xm/xl verbs, each in its own class.</summary>
public static class Cli
{
    private static readonly IReadOnlyList<ICommand> Commands =
    [
        new CreateCommand(), new ListCommand(), new ConsoleCommand(), .. SimpleActionCommand.All, new RenameCommand(),
        new UptimeCommand(), new InfoCommand(), new ImageCommand(), new NetworkCommand(), new NetworkListCommand(), new NetworkAttachCommand(), new NetworkDetachCommand(), new ScreenshotCommand(), new VncViewerCommand(),
    ];

    public static async Task<int> RunAsync(CommandContext context, IReadOnlyList<string> arguments, CancellationToken cancellationToken = default)
    {
        if (arguments.Count == 0 || arguments[0] is "help" or "-h" or "--help")
        {
            PrintHelp(context.Out, arguments.Count > 1 ? arguments[1] : null);
            return arguments.Count == 0 ? 2 : 0;
        }

        var command = Commands.FirstOrDefault(c => c.Name == arguments[0]);
        if (command is null)
        {
            context.Error.WriteLine($"domus: unknown command '{arguments[0]}' (see 'domus help')");
            return 2;
        }

        var rest = arguments.Skip(1).ToList();
        if (rest is ["-h"] or ["--help"])
        {
            PrintHelp(context.Out, command.Name);
            return 0;
        }

        try
        {
            return await command.RunAsync(context, rest, cancellationToken);
        }
        catch (UsageException e)
        {
            context.Error.WriteLine($"domus {command.Name}: {e.Message}");
            context.Error.WriteLine($"usage: domus {command.Name} {command.Usage}");
            return 2;
        }
        catch (Exception e) when (e is CommandFailedException or DomusApiException or DaemonUnavailableException)
        {
            context.Error.WriteLine($"domus {command.Name}: {e.Message}");
            return 1;
        }
        catch (UnauthorizedAccessException e)
        {
            context.Error.WriteLine($"domus {command.Name}: {e.Message}: domusd belongs to another user (run as root, or set {DomusLocations.HomeVariable} to a directory of yours)");
            return 1;
        }
    }

    private static void PrintHelp(TextWriter output, string? verb)
    {
        if (verb is not null && Commands.FirstOrDefault(c => c.Name == verb) is { } command)
        {
            output.WriteLine($"usage: domus {command.Name} {command.Usage}");
            output.WriteLine();
            output.WriteLine(command.Summary);
            return;
        }

        output.WriteLine("usage: domus <command> [arguments]");
        output.WriteLine();
        foreach (var c in Commands)
        {
            output.WriteLine($"  {c.Name,-16}{c.Summary}");
        }
    }
}
