using Domus.Config.Model;

namespace Domus.Api;

/// <summary>A domain with its whole configuration, as <c>domus list -l</c> prints it.</summary>
public sealed record DomainDetail(DomainSummary Domain, DomainConfig Config);
