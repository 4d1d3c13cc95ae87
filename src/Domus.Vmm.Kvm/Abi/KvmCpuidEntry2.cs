using System.Runtime.InteropServices;

namespace Domus.Vmm.Kvm.Abi;

/// <summary>struct kvm_cpuid_entry2: one CPUID leaf and subleaf (40 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
public struct KvmCpuidEntry2
{
    /// <summary>KVM_CPUID_FLAG_SIGNIFCANT_INDEX: the subleaf (ECX) matters for this leaf.</summary>
    public const uint SignificantIndex = 1;

    public uint Function;
    public uint Index;
    public uint Flags;
    public uint Eax;
    public uint Ebx;
    public uint Ecx;
    public uint Edx;
    private readonly uint _padding0;
    private readonly uint _padding1;
    private readonly uint _padding2;
}
