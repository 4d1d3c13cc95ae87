namespace Domus.Cli;

/// <summary>The command line itself is wrong; the message says how, and the exit code is 2.</summary>
public sealed class UsageException(string message) : Exception(message);
