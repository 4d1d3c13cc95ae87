namespace Domus.Vmm.Machine;

/// <summary>The shape of a machine: RAM, vCPUs, and whether KVM's in-kernel PIC, IOAPIC, LAPIC and PIT are present.</summary>
public sealed record MachineOptions(ulong MemoryBytes, int Vcpus = 1, bool Irqchip = true);
