namespace Domus.Vmm.Memory;

/// <summary>
/// A contiguous range of guest-physical memory backed by an anonymous mapping of the VMM. A read-only
/// region is ROM: the guest cannot write it (KVM exits such writes as MMIO).
/// </summary>
public sealed class GuestRegion(ulong guestAddress, ulong size, nint hostAddress, bool readOnly)
{
    public ulong GuestAddress { get; } = guestAddress;

    public ulong Size { get; } = size;

    public nint HostAddress { get; } = hostAddress;

    public bool ReadOnly { get; } = readOnly;

    public ulong End => GuestAddress + Size;

    public bool Contains(ulong address) => address >= GuestAddress && address < End;
}
