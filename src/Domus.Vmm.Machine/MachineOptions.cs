namespace Domus.Vmm.Machine;

/// <summary>
/// The shape of a machine: RAM, vCPUs, whether KVM's in-kernel PIC, IOAPIC, LAPIC and PIT are present, and whether
/// RAM leaves the legacy VGA window (0xA0000-0xBFFFF) to a VGA.
/// </summary>
public sealed record MachineOptions(ulong MemoryBytes, int Vcpus = 1, bool Irqchip = true, bool LegacyVgaWindow = false);
