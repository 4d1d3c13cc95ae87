namespace Domus.Vmm.Backends.Network;

/// <summary>Where a NIC's frames go: Ethernet frames without FCS, one per call.</summary>
public interface INetworkBackend
{
    void Send(ReadOnlySpan<byte> frame);
}
