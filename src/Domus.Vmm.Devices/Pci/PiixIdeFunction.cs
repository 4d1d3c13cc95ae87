namespace Domus.Vmm.Devices.Pci;

/// <summary>
/// 00:01.1, the PIIX3 IDE controller (8086:7010) in legacy mode: its channels sit at the ISA addresses
/// (0x1F0/0x3F6 on IRQ 14, 0x170/0x376 on IRQ 15). The IDE timing registers (0x40-0x43) come up with both
/// channels' decode enabled, as firmware leaves them, so a directly booted kernel finds its disks too.
/// </summary>
public sealed class PiixIdeFunction : PciConfigSpace
{
    public PiixIdeFunction()
        : base(0x8086, 0x7010, 0x010100, 0x00)
    {
        MakeWritable(0x40, 4);
        SetByte(0x41, 0x80);
        SetByte(0x43, 0x80);
    }
}
