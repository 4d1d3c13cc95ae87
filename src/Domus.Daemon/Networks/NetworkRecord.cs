namespace Domus.Daemon.Networks;

/// <summary>A bridge domusd created and keeps: its address, and whether it serves DHCP and NATs its guests.</summary>
public sealed record NetworkRecord(string Name, BridgeAddress? Address, bool Dhcp, bool Nat, DateTimeOffset CreatedAt);
