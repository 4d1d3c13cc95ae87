namespace Domus.Vmm.Devices.Pci;

/// <summary>
/// 00:01.0, the PIIX3 PCI-to-ISA bridge (8086:7000), the first function of a multifunction device: its PIRQ
/// routing registers (0x60-0x63) and top-of-memory and APIC registers keep what the firmware writes.
/// </summary>
public sealed class Piix3IsaFunction : PciConfigSpace
{
    public Piix3IsaFunction()
        : base(0x8086, 0x7000, 0x060100, 0x00, multifunction: true)
    {
        MakeWritable(0x4C, 1);
        MakeWritable(0x60, 4);
        MakeWritable(0x69, 1);
        MakeWritable(0x70, 2);
        MakeWritable(0x80, 1);
    }
}
