namespace Domus.Vmm.Memory;

/// <summary>A guest-physical access outside guest memory; devices catch it and ignore the guest's request.</summary>
public sealed class GuestMemoryException(ulong address, long length)
    : Exception($"guest memory {address:x}+{length:x} is not RAM")
{
    public ulong Address { get; } = address;
}
