using System.Runtime.InteropServices;

namespace Domus.Vmm.Kvm.Abi;

/// <summary>struct kvm_msi: a message-signalled interrupt to inject (32 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
public struct KvmMsi
{
    public uint AddressLow;
    public uint AddressHigh;
    public uint Data;
    public uint Flags;
    public uint DeviceId;
    private readonly uint _padding0;
    private readonly uint _padding1;
    private readonly uint _padding2;
}
