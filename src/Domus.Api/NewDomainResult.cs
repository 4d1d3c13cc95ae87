namespace Domus.Api;

/// <summary>
/// The wizard's configuration file, written; with <see cref="Domain"/> the domain started from it, or with
/// <see cref="StartError"/> why it could not start (the file stays: it is valid, and the host may change).
/// </summary>
public sealed record NewDomainResult(string Name, string Path, DomainSummary? Domain, string? StartError);
