using System.Buffers.Binary;
using Domus.Vmm.Devices.Bus;

namespace Domus.Vmm.Devices.Pci;

/// <summary>
/// A PCI function whose registers are one port-I/O device behind BAR 0, interrupting on INTA#. Firmware or the
/// guest's OS sizes the BAR (writes all ones, reads the size mask back), places it, and sets the command
/// register's I/O-space bit; only then do the registers appear on the port bus, at that address, and they move
/// when the BAR does. A placement that collides with another device, or lies beyond the 64 KiB of ports, leaves
/// the function decoding nothing, as a misconfigured bus would.
/// </summary>
public sealed class PciIoFunction : PciConfigSpace
{
    private const int Bar0 = 0x10, SubsystemVendor = 0x2C, InterruptPin = 0x3D, IoSpaceEnable = 0x1, IoBarIndicator = 0x1;
    private const ulong PortSpace = 0x1_0000;
    private readonly AddressBus<IPortIoDevice> _ports;
    private readonly int _length;
    private readonly Lock _decodeLock = new();
    private BusRange? _decoded;

    /// <param name="length">The registers' size in ports, a power of two of at least 4 (the BAR's granularity).</param>
    public PciIoFunction(PciIdentity identity, IPortIoDevice registers, int length, AddressBus<IPortIoDevice> ports)
        : base(identity.Vendor, identity.Device, identity.ClassCode, identity.Revision)
    {
        if (length < 4 || !int.IsPow2(length))
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, "an I/O BAR spans a power of two of at least 4 ports");
        }

        Registers = registers;
        _ports = ports;
        _length = length;
        SetWord(SubsystemVendor, identity.SubsystemVendor);
        SetWord(SubsystemVendor + 2, identity.Subsystem);
        SetByte(Bar0, IoBarIndicator);
        SetByte(InterruptPin, 1);
        MakeWritable(Bar0, 4, ~(ulong)(length - 1) & 0xFFFF_FFFC);
    }

    public IPortIoDevice Registers { get; }

    /// <summary>Where the registers are on the port bus now, if anywhere.</summary>
    public BusRange? Decoded
    {
        get
        {
            lock (_decodeLock)
            {
                return _decoded;
            }
        }
    }

    public override void WriteConfig(int offset, ReadOnlySpan<byte> data)
    {
        base.WriteConfig(offset, data);
        if (offset < Bar0 + 4 && offset + data.Length > Command)
        {
            UpdateDecoding();
        }
    }

    private void UpdateDecoding()
    {
        Span<byte> bar = stackalloc byte[4];
        ReadConfig(Bar0, bar);
        var address = BinaryPrimitives.ReadUInt32LittleEndian(bar) & ~3u;
        BusRange? wanted = (GetByte(Command) & IoSpaceEnable) != 0 && address != 0 && address + (ulong)_length <= PortSpace
            ? new BusRange(address, (ulong)_length)
            : null;
        lock (_decodeLock)
        {
            if (wanted == _decoded)
            {
                return;
            }

            try
            {
                _ports.Move(Registers, wanted);
                _decoded = wanted;
            }
            catch (BusOverlapException)
            {
                _decoded = null;
            }
        }
    }

    private void SetWord(int offset, ushort value)
    {
        SetByte(offset, (byte)value);
        SetByte(offset + 1, (byte)(value >> 8));
    }
}
