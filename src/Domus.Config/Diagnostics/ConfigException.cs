namespace Domus.Config.Diagnostics;

/// <summary>
/// The only exception the configuration layer lets out: it carries every error of the input, each with
/// its file, line and column.
/// </summary>
public sealed class ConfigException : Exception
{
    public ConfigException(IReadOnlyList<Diagnostic> errors)
        : base(string.Join(Environment.NewLine, errors))
    {
        Errors = errors;
    }

    public ConfigException(SourceLocation location, string message)
        : this([new Diagnostic(Severity.Error, location, message)])
    {
    }

    public IReadOnlyList<Diagnostic> Errors { get; }
}
