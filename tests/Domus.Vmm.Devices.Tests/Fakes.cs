using Domus.Vmm.Devices.Bus;
using Domus.Vmm.Devices.Serial;

namespace Domus.Vmm.Devices.Tests;

/// <summary>An interrupt line that remembers its level and counts rising edges.</summary>
public sealed class FakeInterruptLine : IInterruptLine
{
    public bool Level { get; private set; }

    public int RisingEdges { get; private set; }

    public void SetLevel(bool asserted)
    {
        RisingEdges += asserted && !Level ? 1 : 0;
        Level = asserted;
    }
}

/// <summary>A serial backend that keeps what was transmitted.</summary>
public sealed class RecordingBackend : ISerialBackend
{
    public List<byte> Transmitted { get; } = [];

    public void Transmit(byte value) => Transmitted.Add(value);
}

public static class PortIo
{
    public static byte ReadByte(this IPortIoDevice device, ushort offset)
    {
        Span<byte> data = stackalloc byte[1];
        device.Read(offset, data);
        return data[0];
    }

    public static void WriteByte(this IPortIoDevice device, ushort offset, byte value) => device.Write(offset, [value]);
}
