namespace Domus.Api;

/// <summary>A host bridge domusd manages (<c>domus network list</c>).</summary>
public sealed record NetworkSummary
{
    public required string Name { get; init; }

    /// <summary>The bridge's own address with its prefix, e.g. 10.0.0.1/24; none for a plain switch.</summary>
    public required string? Address { get; init; }

    /// <summary>The addresses the DHCP server hands out, e.g. 10.0.0.2-10.0.0.254; none without a DHCP server.</summary>
    public required string? DhcpRange { get; init; }

    public required bool Nat { get; init; }

    /// <summary>"up", or what is wrong with the bridge or its DHCP server.</summary>
    public required string State { get; init; }

    public required int? DhcpServerPid { get; init; }

    /// <summary>The taps of domains' NICs on this bridge.</summary>
    public required IReadOnlyList<string> Ports { get; init; }
}
