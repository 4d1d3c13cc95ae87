namespace Domus.Api;

/// <summary>
/// A bridge to create (<c>domus network create</c>): with an address (CIDR) the host is on it; with
/// <see cref="Dhcp"/> a DHCP server hands its guests addresses; with <see cref="Nat"/> they reach the host's
/// other networks through it.
/// </summary>
public sealed record CreateNetworkRequest(string Name, string? Address = null, bool Dhcp = false, bool Nat = false);
