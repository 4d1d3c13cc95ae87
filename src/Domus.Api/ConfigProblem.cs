namespace Domus.Api;

/// <summary>One problem of a configuration file, at its 1-based line and column (0 for the whole file); severity "error" or "warning".</summary>
public sealed record ConfigProblem(string Severity, int Line, int Column, string Message);
