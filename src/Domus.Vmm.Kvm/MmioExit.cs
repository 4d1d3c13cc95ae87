namespace Domus.Vmm.Kvm;

/// <summary>A memory-mapped I/O exit: one access of <see cref="Length"/> bytes at <see cref="Address"/>.</summary>
public readonly record struct MmioExit(ulong Address, int Length, bool IsWrite);
