using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Domus.Vmm.Kvm.Abi;

/// <summary>struct kvm_sregs: segments, descriptor tables and control registers (312 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
public struct KvmSregs
{
    public KvmSegment Cs, Ds, Es, Fs, Gs, Ss, Tr, Ldt;
    public KvmDtable Gdt, Idt;
    public ulong Cr0, Cr2, Cr3, Cr4, Cr8;
    public ulong Efer;
    public ulong ApicBase;
    public InterruptBitmap Interrupts;

    [InlineArray(4)]
    public struct InterruptBitmap
    {
        private ulong _element;
    }
}
