using System.Runtime.InteropServices;

namespace Domus.Vmm.Kvm.Abi;

/// <summary>
/// The fixed start of struct kvm_run, shared with the kernel through mmap; the exit-specific union begins at
/// <see cref="ExitUnionOffset"/>.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public struct KvmRunHeader
{
    public const int ExitUnionOffset = 32;

    public byte RequestInterruptWindow;
    public byte ImmediateExit;
    private readonly byte _padding0;
    private readonly byte _padding1;
    private readonly byte _padding2;
    private readonly byte _padding3;
    private readonly byte _padding4;
    private readonly byte _padding5;
    public uint ExitReason;
    public byte ReadyForInterruptInjection;
    public byte IfFlag;
    public ushort Flags;
    public ulong Cr8;
    public ulong ApicBase;
}
