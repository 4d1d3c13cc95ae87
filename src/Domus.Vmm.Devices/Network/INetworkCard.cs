using Domus.Vmm.Devices.Bus;

namespace Domus.Vmm.Devices.Network;

/// <summary>A network card: registers on the port bus, and frames from the wire handed to it.</summary>
public interface INetworkCard : IPortIoDevice
{
    /// <summary>A frame from the wire (without FCS); the card stores it for the guest or drops it.</summary>
    void Receive(ReadOnlySpan<byte> frame);
}
