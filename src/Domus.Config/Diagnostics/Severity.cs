namespace Domus.Config.Diagnostics;

public enum Severity
{
    Warning,
    Error,
}
