namespace Domus.Vmm.Devices.Pci;

/// <summary>
/// 00:01.0, the PIIX3 PCI-to-ISA bridge (8086:7000), the first function of a multifunction device: its PIRQ
/// routing registers (0x60-0x63: bit 7 off, bits 0-3 the ISA IRQ that PIRQA#-PIRQD# drive) and top-of-memory and
/// APIC registers keep what the firmware writes. The routing starts as <paramref name="pirqRouting"/>, what the
/// firmware would program, so that a kernel booted without firmware finds the same routing its ACPI tables give.
/// </summary>
public sealed class Piix3IsaFunction : PciConfigSpace
{
    public const int PirqCount = 4;
    private const int PirqRouting = 0x60, RoutingDisabled = 0x80;

    public Piix3IsaFunction(ReadOnlySpan<byte> pirqRouting = default)
        : base(0x8086, 0x7000, 0x060100, 0x00, multifunction: true)
    {
        MakeWritable(0x4C, 1);
        MakeWritable(PirqRouting, PirqCount);
        MakeWritable(0x69, 1);
        MakeWritable(0x70, 2);
        MakeWritable(0x80, 1);
        for (var pirq = 0; pirq < PirqCount; pirq++)
        {
            SetByte(PirqRouting + pirq, pirq < pirqRouting.Length ? pirqRouting[pirq] : (byte)RoutingDisabled);
        }
    }

    /// <summary>Raised after the guest writes the PIRQ routing registers.</summary>
    public event Action? RoutingChanged;

    /// <summary>The ISA IRQ that PIRQ <paramref name="pirq"/> (0 for A) drives, or null when it is off or names no usable IRQ.</summary>
    public int? RoutedIrq(int pirq)
    {
        var routing = GetByte(PirqRouting + pirq);
        var irq = routing & 0x0F;
        return (routing & RoutingDisabled) == 0 && irq is (>= 3 and <= 7) or (>= 9 and <= 12) or 14 or 15 ? irq : null;
    }

    public override void WriteConfig(int offset, ReadOnlySpan<byte> data)
    {
        base.WriteConfig(offset, data);
        if (offset < PirqRouting + PirqCount && offset + data.Length > PirqRouting)
        {
            RoutingChanged?.Invoke();
        }
    }
}
