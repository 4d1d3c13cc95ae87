namespace Domus.Api;

/// <summary>A browser's login: the API token (from domusd's api-token file), exchanged for a session cookie.</summary>
public sealed record LoginRequest(string Token);
