namespace Domus.Vmm.Backends.Network;

/// <summary>Where a NIC's frames go and come from: Ethernet frames without FCS, one per call.</summary>
public interface INetworkBackend
{
    void Send(ReadOnlySpan<byte> frame);

    /// <summary>Starts handing every frame that arrives to <paramref name="receive"/>, on a thread of the backend's.</summary>
    void StartReceiving(Action<ReadOnlySpan<byte>> receive);
}
