using System.Buffers.Binary;
using Domus.Vmm.Devices.Bus;

namespace Domus.Vmm.Devices.Pci;

/// <summary>
/// A type-0 configuration header of 256 bytes with a write mask: identity fields are read-only, and only the
/// bits a device declares writable change. The base for simple functions; a function with registers in I/O space
/// adds its BARs with <see cref="AddIoBar"/>, one with memory the machine maps into the guest with <see cref="AddMemoryBar"/>.
/// </summary>
public class PciConfigSpace : IPciFunction
{
    public const int Command = 0x04, HeaderType = 0x0E, SubsystemVendor = 0x2C, InterruptLine = 0x3C;
    private const int BarsStart = 0x10, BarsEnd = 0x28, IoSpaceEnable = 0x1, MemorySpaceEnable = 0x2, IoBarIndicator = 0x1;
    private const byte PrefetchableMemoryBar = 0x08;

    private readonly byte[] _bytes = new byte[256];
    private readonly byte[] _writable = new byte[256];
    private readonly Lock _lock = new();
    private readonly List<PciIoBar> _ioBars = [];
    private readonly List<PciMemoryBar> _memoryBars = [];

    public PciConfigSpace(ushort vendor, ushort device, uint classCode, byte revision, bool multifunction = false)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(_bytes, vendor);
        BinaryPrimitives.WriteUInt16LittleEndian(_bytes.AsSpan(2), device);
        _bytes[8] = revision;
        _bytes[9] = (byte)classCode;
        _bytes[10] = (byte)(classCode >> 8);
        _bytes[11] = (byte)(classCode >> 16);
        _bytes[HeaderType] = multifunction ? (byte)0x80 : (byte)0;
        MakeWritable(Command, 2, 0x0007);
        MakeWritable(InterruptLine, 1, 0xFF);
    }

    /// <summary>A function with the ids, class and subsystem of <paramref name="identity"/>.</summary>
    protected PciConfigSpace(PciIdentity identity)
        : this(identity.Vendor, identity.Device, identity.ClassCode, identity.Revision)
    {
        SetWord(SubsystemVendor, identity.SubsystemVendor);
        SetWord(SubsystemVendor + 2, identity.Subsystem);
    }

    /// <summary>Declares <paramref name="length"/> bytes from <paramref name="offset"/> writable under <paramref name="mask"/>.</summary>
    protected void MakeWritable(int offset, int length, ulong mask = ulong.MaxValue)
    {
        for (var i = 0; i < length; i++)
        {
            _writable[offset + i] = (byte)(mask >> (8 * i));
        }
    }

    /// <summary>
    /// Puts <paramref name="registers"/> behind I/O BAR <paramref name="index"/>, <paramref name="length"/> ports (a
    /// power of two of at least 4, the BAR's granularity): firmware sizes it by writing all ones and reading the mask.
    /// </summary>
    protected PciIoBar AddIoBar(int index, IPortIoDevice registers, int length, AddressBus<IPortIoDevice> ports)
    {
        var bar = new PciIoBar(BarOffset(index), registers, length, ports);
        SetByte(bar.Offset, IoBarIndicator);
        MakeWritable(bar.Offset, 4, ~(ulong)(length - 1) & 0xFFFF_FFFC);
        _ioBars.Add(bar);
        return bar;
    }

    /// <summary>
    /// Declares 32-bit prefetchable memory BAR <paramref name="index"/> of <paramref name="size"/> bytes (a power of
    /// two): where firmware or the OS places it, <paramref name="place"/> maps the memory (null: takes it away) and
    /// says whether it could.
    /// </summary>
    protected PciMemoryBar AddMemoryBar(int index, uint size, Func<ulong?, bool> place)
    {
        var bar = new PciMemoryBar(BarOffset(index), size, place);
        SetByte(bar.Offset, PrefetchableMemoryBar);
        MakeWritable(bar.Offset, 4, ~(ulong)(size - 1) & 0xFFFF_FFF0);
        _memoryBars.Add(bar);
        return bar;
    }

    private void SetWord(int offset, ushort value)
    {
        SetByte(offset, (byte)value);
        SetByte(offset + 1, (byte)(value >> 8));
    }

    protected void SetByte(int offset, byte value)
    {
        lock (_lock)
        {
            _bytes[offset] = value;
        }
    }

    public byte GetByte(int offset)
    {
        lock (_lock)
        {
            return _bytes[offset];
        }
    }

    public void ReadConfig(int offset, Span<byte> data)
    {
        lock (_lock)
        {
            for (var i = 0; i < data.Length; i++)
            {
                data[i] = offset + i < _bytes.Length ? _bytes[offset + i] : (byte)0xFF;
            }
        }
    }

    public virtual void WriteConfig(int offset, ReadOnlySpan<byte> data)
    {
        lock (_lock)
        {
            for (var i = 0; i < data.Length && offset + i < _bytes.Length; i++)
            {
                var mask = _writable[offset + i];
                _bytes[offset + i] = (byte)((_bytes[offset + i] & ~mask) | (data[i] & mask));
            }
        }

        if (offset < BarsEnd && offset + data.Length > Command)
        {
            UpdateDecoding();
        }
    }

    private static int BarOffset(int index) => index is >= 0 and <= 5
        ? BarsStart + (4 * index)
        : throw new ArgumentOutOfRangeException(nameof(index), index, "a type-0 header has BARs 0-5");

    private void UpdateDecoding()
    {
        var command = GetByte(Command);
        foreach (var bar in _ioBars)
        {
            bar.Follow(ReadBar(bar.Offset), (command & IoSpaceEnable) != 0);
        }

        foreach (var bar in _memoryBars)
        {
            bar.Follow(ReadBar(bar.Offset), (command & MemorySpaceEnable) != 0);
        }
    }

    private uint ReadBar(int offset)
    {
        Span<byte> value = stackalloc byte[4];
        ReadConfig(offset, value);
        return BinaryPrimitives.ReadUInt32LittleEndian(value);
    }
}
