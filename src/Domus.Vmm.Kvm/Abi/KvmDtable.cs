using System.Runtime.InteropServices;

namespace Domus.Vmm.Kvm.Abi;

/// <summary>struct kvm_dtable: a descriptor table register, GDTR or IDTR (16 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
public struct KvmDtable
{
    public ulong Base;
    public ushort Limit;
    private readonly ushort _padding0;
    private readonly ushort _padding1;
    private readonly ushort _padding2;
}
