namespace Domus.Api;

/// <summary>The body of every failed API call: one sentence for the user.</summary>
public sealed record ApiError(string Error);
