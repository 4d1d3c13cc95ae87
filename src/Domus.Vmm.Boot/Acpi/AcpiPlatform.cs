namespace Domus.Vmm.Boot.Acpi;

/// <summary>What the ACPI tables describe: the CPUs, the interrupt controllers, the PM register block and the reset register.</summary>
public sealed record AcpiPlatform
{
    public required int Vcpus { get; init; }

    public required uint LocalApicAddress { get; init; }

    public required uint IoApicAddress { get; init; }

    /// <summary>The PM1 event block (4 bytes), control block (2) and timer (4) lie at these offsets from here.</summary>
    public required ushort PmBase { get; init; }

    public required byte SciIrq { get; init; }

    /// <summary>An I/O port that resets the machine when <see cref="ResetValue"/> is written (0xCF9).</summary>
    public required ushort ResetPort { get; init; }

    public required byte ResetValue { get; init; }

    /// <summary>The CMOS index of the century byte.</summary>
    public required byte CmosCentury { get; init; }

    /// <summary>The SLP_TYP value of S5 (soft off) in the DSDT's \_S5 object, which the PM control register acts on.</summary>
    public required byte SoftOffSleepType { get; init; }

    /// <summary>
    /// The GSIs that PIRQA#-PIRQD# drive, from which the DSDT's _PRT routes every slot's INTA#-INTD# (with the
    /// i440FX swizzle of <see cref="Domus.Vmm.Devices.Pci.PciInterruptRouter.Pirq"/>); empty: no PCI interrupts.
    /// </summary>
    public IReadOnlyList<byte> PciIrqs { get; init; } = [];
}
