using Domus.Vmm.Devices.Bus;
using Domus.Vmm.Devices.Storage;

namespace Domus.Vmm.Devices.Pci;

/// <summary>
/// 00:01.1, the PIIX3 IDE controller (8086:7010) in legacy mode: its channels sit at the ISA addresses
/// (0x1F0/0x3F6 on IRQ 14, 0x170/0x376 on IRQ 15). The IDE timing registers (0x40-0x43) come up with both
/// channels' decode enabled, as firmware leaves them, so a directly booted kernel finds its disks too. The
/// bus-master IDE registers sit behind the relocatable I/O BAR 4 (programming interface bit 7 says so), and DMA
/// reaches memory only while the command register's bus-master bit is on.
/// </summary>
public sealed class PiixIdeFunction : PciConfigSpace
{
    private const int BusMasterBar = 4, BusMasterEnable = 0x04;
    private readonly IdeBusMaster _busMaster;

    public PiixIdeFunction(IdeBusMaster busMaster, AddressBus<IPortIoDevice> ports)
        : base(0x8086, 0x7010, 0x010180, 0x00)
    {
        _busMaster = busMaster;
        MakeWritable(0x40, 4);
        SetByte(0x41, 0x80);
        SetByte(0x43, 0x80);
        AddIoBar(BusMasterBar, busMaster, IdeBusMaster.Length, ports);
    }

    public override void WriteConfig(int offset, ReadOnlySpan<byte> data)
    {
        base.WriteConfig(offset, data);
        if (offset <= Command && offset + data.Length > Command)
        {
            _busMaster.EnableBusMastering((GetByte(Command) & BusMasterEnable) != 0);
        }
    }
}
