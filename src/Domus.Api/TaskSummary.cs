namespace Domus.Api;

/// <summary>
/// One entry of domusd's task log: a changing request (a domain created, shut down, an image made, ...), who
/// asked for it, and how it ended. A task still running has no <see cref="Ended"/>; its outcome is "running".
/// </summary>
public sealed record TaskSummary
{
    public required long Id { get; init; }

    /// <summary>What was done, as <c>domain.shutdown</c>, <c>image.create</c>.</summary>
    public required string Action { get; init; }

    /// <summary>What it was done to: a domain, image, configuration or network name.</summary>
    public required string Target { get; init; }

    /// <summary>"local socket", or the peer's address (and whether it showed the API token).</summary>
    public required string Who { get; init; }

    public required DateTimeOffset Started { get; init; }

    public required DateTimeOffset? Ended { get; init; }

    /// <summary>"running", "done", or the sentence it failed with.</summary>
    public required string Outcome { get; init; }

    /// <summary>0 to 100.</summary>
    public required int Progress { get; init; }
}
