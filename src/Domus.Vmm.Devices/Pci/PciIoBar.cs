using Domus.Vmm.Devices.Bus;

namespace Domus.Vmm.Devices.Pci;

/// <summary>
/// A relocatable I/O BAR of a PCI function: its registers appear on the port bus at the BAR's address while the
/// command register's I/O-space bit is on, and move when the BAR does. A placement that collides with another
/// device, or lies beyond the 64 KiB of ports, leaves the BAR decoding nothing, as a misconfigured bus would.
/// <see cref="PciConfigSpace.AddIoBar"/> makes one.
/// </summary>
public sealed class PciIoBar
{
    private const ulong PortSpace = 0x1_0000;
    private readonly AddressBus<IPortIoDevice> _ports;
    private readonly Lock _lock = new();
    private BusRange? _decoded;

    internal PciIoBar(int offset, IPortIoDevice registers, int length, AddressBus<IPortIoDevice> ports)
    {
        if (length < 4 || !int.IsPow2(length))
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, "an I/O BAR spans a power of two of at least 4 ports");
        }

        Offset = offset;
        Registers = registers;
        Length = length;
        _ports = ports;
    }

    /// <summary>The BAR's offset in configuration space.</summary>
    public int Offset { get; }

    public IPortIoDevice Registers { get; }

    /// <summary>The registers' size in ports.</summary>
    public int Length { get; }

    /// <summary>Where the registers are on the port bus now, if anywhere.</summary>
    public BusRange? Decoded
    {
        get
        {
            lock (_lock)
            {
                return _decoded;
            }
        }
    }

    /// <summary>Follows the BAR's value and the I/O-space bit after the guest wrote either.</summary>
    internal void Follow(uint bar, bool ioSpaceEnabled)
    {
        var address = bar & ~3u;
        BusRange? wanted = ioSpaceEnabled && address != 0 && address + (ulong)Length <= PortSpace
            ? new BusRange(address, (ulong)Length)
            : null;
        lock (_lock)
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
}
