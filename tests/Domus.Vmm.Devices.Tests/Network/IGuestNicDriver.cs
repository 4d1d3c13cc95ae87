namespace Domus.Vmm.Devices.Tests.Network;

/// <summary>What the tests' stand-ins for a guest's NIC driver can do: send a frame, and take the next one received.</summary>
public interface IGuestNicDriver
{
    void Send(ReadOnlySpan<byte> frame);

    /// <summary>The next received frame (without FCS or virtio header), if the card has handed one back.</summary>
    byte[]? TakeFrame();
}
