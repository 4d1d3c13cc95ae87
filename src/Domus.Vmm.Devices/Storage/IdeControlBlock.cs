using Domus.Vmm.Devices.Bus;

namespace Domus.Vmm.Devices.Storage;

/// <summary>The control block register of an IDE channel (0x3F6, 0x376): alternate status, and device control.</summary>
public sealed class IdeControlBlock(IdeChannel channel) : IPortIoDevice
{
    public void Read(ushort offset, Span<byte> data)
    {
        data.Fill(0xFF);
        data[0] = channel.ReadAlternateStatus();
    }

    public void Write(ushort offset, ReadOnlySpan<byte> data) => channel.WriteDeviceControl(data[0]);
}
