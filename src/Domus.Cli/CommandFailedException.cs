namespace Domus.Cli;

/// <summary>A command could not do its work; the message is printed as one line and the exit code is 1.</summary>
public sealed class CommandFailedException(string message) : Exception(message);
