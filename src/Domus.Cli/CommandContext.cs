using Domus.Api;

namespace Domus.Cli;

/// <summary>
/// Where a command reads and writes, and the environment it sees; tests give their own. A null
/// <see cref="In"/> is the process's standard input, left untouched until needed, so that .NET does not take
/// over the terminal before the console puts it into raw mode.
/// </summary>
public sealed record CommandContext(TextReader? In, TextWriter Out, TextWriter Error, Func<string, string?> GetEnvironment)
{
    public static CommandContext Console { get; } = new(null, System.Console.Out, System.Console.Error, Environment.GetEnvironmentVariable);

    public DomusLocations Locations => DomusLocations.FromEnvironment(GetEnvironment);

    /// <summary>True when a person at a terminal is on both ends (then the console goes raw).</summary>
    public bool Interactive => In is null && !System.Console.IsInputRedirected && !System.Console.IsOutputRedirected;

    public TextReader Input => In ?? System.Console.In;
}
