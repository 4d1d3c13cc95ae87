namespace Domus.Cli.Tests;

/// <summary>Runs the domus command line in-process and captures what it prints.</summary>
public sealed record CliRun(int ExitCode, string Out, string Error)
{
    public static CliRun Of(IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var context = new CommandContext(TextReader.Null, output, error, name => environment?.GetValueOrDefault(name));
        var exit = Cli.RunAsync(context, arguments).GetAwaiter().GetResult();
        return new CliRun(exit, output.ToString(), error.ToString());
    }

    public static CliRun Of(params string[] arguments) => Of(null, arguments);
}
