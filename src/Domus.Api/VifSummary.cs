namespace Domus.Api;

/// <summary>One network card of a domain (<c>domus network-list</c>).</summary>
public sealed record VifSummary(int Index, string Mac, string Bridge, string Model, string? Tap);
