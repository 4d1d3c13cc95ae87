namespace Domus.Vmm.Kvm;

/// <summary>A port I/O exit: <see cref="Count"/> accesses of <see cref="Size"/> bytes (more than one for string I/O).</summary>
public readonly record struct IoExit(bool IsWrite, int Size, ushort Port, int Count);
