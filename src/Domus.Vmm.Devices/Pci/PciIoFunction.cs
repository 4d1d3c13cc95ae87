using Domus.Vmm.Devices.Bus;

namespace Domus.Vmm.Devices.Pci;

/// <summary>
/// A PCI function whose registers are one port-I/O device behind BAR 0 (see <see cref="PciIoBar"/>), interrupting
/// on INTA#. Firmware or the guest's OS sizes the BAR, places it, and sets the command register's I/O-space bit;
/// only then do the registers appear on the port bus, at that address, and they move when the BAR does.
/// </summary>
public sealed class PciIoFunction : PciConfigSpace
{
    private const int InterruptPin = 0x3D;
    private readonly PciIoBar _bar;

    /// <param name="length">The registers' size in ports, a power of two of at least 4 (the BAR's granularity).</param>
    public PciIoFunction(PciIdentity identity, IPortIoDevice registers, int length, AddressBus<IPortIoDevice> ports)
        : base(identity)
    {
        _bar = AddIoBar(0, registers, length, ports);
        SetByte(InterruptPin, 1);
    }

    public IPortIoDevice Registers => _bar.Registers;

    /// <summary>Where the registers are on the port bus now, if anywhere.</summary>
    public BusRange? Decoded => _bar.Decoded;
}
