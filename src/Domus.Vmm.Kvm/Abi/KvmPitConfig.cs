using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Domus.Vmm.Kvm.Abi;

/// <summary>struct kvm_pit_config for KVM_CREATE_PIT2 (64 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
public struct KvmPitConfig
{
    /// <summary>KVM_PIT_SPEAKER_DUMMY: the PC speaker port 0x61 is handled in the kernel too.</summary>
    public const uint SpeakerDummy = 1;

    public uint Flags;
    private readonly Padding _padding;

    [InlineArray(15)]
    private struct Padding
    {
        private uint _element;
    }
}
