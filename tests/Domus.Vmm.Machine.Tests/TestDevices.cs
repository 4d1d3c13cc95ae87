using Domus.Vmm.Devices.Bus;
using Domus.Vmm.Devices.Serial;
using Domus.Vmm.Machine;

namespace Domus.Vmm.Machine.Tests;

/// <summary>QEMU's isa-debug-exit, as test guests use it: a byte written ends the machine with that status.</summary>
public sealed class TestExit(VirtualMachine machine) : IPortIoDevice
{
    public void Read(ushort offset, Span<byte> data) => data.Fill(0xFF);

    public void Write(ushort offset, ReadOnlySpan<byte> data) =>
        machine.Stop(new MachineStopReason(MachineStopKind.Stopped, $"test exit {data[0]}", data[0]));
}

/// <summary>An MMIO register pair: offset 0 keeps what is written, offset 4 reads it back plus one.</summary>
public sealed class EchoPlusOne : IMmioDevice
{
    private uint _value;

    public void Read(ulong offset, Span<byte> data) =>
        BitConverter.TryWriteBytes(data, offset == 4 ? _value + 1 : _value);

    public void Write(ulong offset, ReadOnlySpan<byte> data) => _value = BitConverter.ToUInt32(data);
}

/// <summary>Port registers with a doorbell: a word 1 written at offset 0x10 rings it; every other write is recorded.</summary>
public sealed class DoorbellDevice : IDoorbellDevice
{
    private int _rings;

    public DoorbellDevice() => Doorbells = [new Doorbell(0x10, 2, 1, () => Interlocked.Increment(ref _rings))];

    public IReadOnlyList<Doorbell> Doorbells { get; }

    public int Rings => Volatile.Read(ref _rings);

    public List<(ushort Offset, uint Value)> Writes { get; } = [];

    public void Read(ushort offset, Span<byte> data) => data.Fill(0xFF);

    public void Write(ushort offset, ReadOnlySpan<byte> data) => Writes.Add((offset, data.Length == 2 ? BitConverter.ToUInt16(data) : data[0]));
}

/// <summary>A port device with a bug: every access throws.</summary>
public sealed class ThrowingDevice : IPortIoDevice
{
    public void Read(ushort offset, Span<byte> data) => throw new InvalidOperationException("a device bug");

    public void Write(ushort offset, ReadOnlySpan<byte> data) => throw new InvalidOperationException("a device bug");
}

public sealed class TextBackend : ISerialBackend
{
    private readonly List<byte> _bytes = [];

    public string Text
    {
        get
        {
            lock (_bytes)
            {
                return System.Text.Encoding.ASCII.GetString(_bytes.ToArray());
            }
        }
    }

    public void Transmit(byte value)
    {
        lock (_bytes)
        {
            _bytes.Add(value);
        }
    }
}
