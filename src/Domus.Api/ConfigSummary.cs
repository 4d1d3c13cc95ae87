namespace Domus.Api;

/// <summary>A configuration file in the managed directory, and what the configuration language says of it.</summary>
public sealed record ConfigSummary(string Name, string Path, IReadOnlyList<string> Problems);
