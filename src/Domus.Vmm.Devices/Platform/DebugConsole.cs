using Domus.Vmm.Devices.Bus;
using Domus.Vmm.Devices.Serial;

namespace Domus.Vmm.Devices.Platform;

/// <summary>
/// QEMU's debug console (port 0x402): every byte written goes to the backend, and a read answers 0xE9 so
/// that firmware (SeaBIOS) knows the port is there.
/// </summary>
public sealed class DebugConsole(ISerialBackend backend) : IPortIoDevice
{
    public const byte Presence = 0xE9;

    public void Read(ushort offset, Span<byte> data) => data.Fill(Presence);

    public void Write(ushort offset, ReadOnlySpan<byte> data)
    {
        foreach (var value in data)
        {
            backend.Transmit(value);
        }
    }
}
