namespace Domus.Cli;

/// <summary>Where a command writes, and the environment it reads; tests give their own.</summary>
public sealed record CommandContext(TextWriter Out, TextWriter Error, Func<string, string?> GetEnvironment)
{
    public static CommandContext Console { get; } = new(System.Console.Out, System.Console.Error, Environment.GetEnvironmentVariable);
}
