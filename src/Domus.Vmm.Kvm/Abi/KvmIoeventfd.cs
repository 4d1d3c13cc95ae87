using System.Runtime.InteropServices;

namespace Domus.Vmm.Kvm.Abi;

/// <summary>struct kvm_ioeventfd: a guest write to an address (and value) that KVM completes itself by signalling an eventfd (64 bytes).</summary>
[StructLayout(LayoutKind.Sequential, Size = 64)]
public struct KvmIoeventfd
{
    public const uint MatchData = 1 << 0, Pio = 1 << 1, Deassign = 1 << 2;

    public ulong Datamatch;
    public ulong Address;
    public uint Length;
    public int Fd;
    public uint Flags;
}
