namespace Domus.Config.Diagnostics;

/// <summary>One problem found in a configuration, printed as <c>FILE:LINE:COLUMN: message</c>.</summary>
public sealed record Diagnostic(Severity Severity, SourceLocation Location, string Message)
{
    public override string ToString() =>
        Severity == Severity.Warning ? $"{Location}: warning: {Message}" : $"{Location}: {Message}";
}
