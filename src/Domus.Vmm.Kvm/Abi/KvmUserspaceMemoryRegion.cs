using System.Runtime.InteropServices;

namespace Domus.Vmm.Kvm.Abi;

/// <summary>struct kvm_userspace_memory_region: a slot of guest memory backed by the VMM's memory (32 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
public struct KvmUserspaceMemoryRegion
{
    /// <summary>KVM_MEM_READONLY: writes to the slot exit as MMIO instead (ROM).</summary>
    public const uint ReadOnly = 2;

    public uint Slot;
    public uint Flags;
    public ulong GuestPhysAddr;
    public ulong MemorySize;
    public ulong UserspaceAddr;
}
