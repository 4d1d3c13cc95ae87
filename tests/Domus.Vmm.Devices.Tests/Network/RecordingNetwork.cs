using Domus.Vmm.Backends.Network;

namespace Domus.Vmm.Devices.Tests.Network;

/// <summary>A network backend that keeps every frame the card sent.</summary>
public sealed class RecordingNetwork : INetworkBackend
{
    public List<byte[]> Sent { get; } = [];

    public void Send(ReadOnlySpan<byte> frame) => Sent.Add(frame.ToArray());
}
