using System.Runtime.InteropServices;

namespace Domus.Vmm.Kvm.Abi;

/// <summary>struct kvm_irqfd: an eventfd whose signal KVM turns into an interrupt on a GSI (32 bytes).</summary>
[StructLayout(LayoutKind.Sequential, Size = 32)]
public struct KvmIrqfd
{
    public uint Fd;
    public uint Gsi;
    public uint Flags;
    public uint ResampleFd;
}
