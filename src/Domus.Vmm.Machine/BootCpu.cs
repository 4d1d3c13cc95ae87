using Domus.Vmm.Boot.Linux;
using Domus.Vmm.Kvm;
using Domus.Vmm.Kvm.Abi;

namespace Domus.Vmm.Machine;

/// <summary>Puts a vCPU into the state a kernel loader asks for, in KVM's terms.</summary>
public static class BootCpu
{
    private const ulong ProtectionEnable = 0x1, ExtensionType = 0x10, Paging = 0x8000_0000, PhysicalAddressExtension = 0x20;
    private const ulong LongModeEnable = 0x100, LongModeActive = 0x400;
    private const uint ExtInt = 7, Nmi = 4;

    public static void Enter(KvmVcpu vcpu, BootCpuState state)
    {
        var longMode = state.Mode == CpuEntryMode.LongMode;
        var sregs = vcpu.GetSregs();
        sregs.Cs = Flat(BootCpuState.CodeSelector, type: 0xB, longMode);
        sregs.Ds = sregs.Es = sregs.Fs = sregs.Gs = sregs.Ss = Flat(BootCpuState.DataSelector, type: 0x3, longMode: false);
        sregs.Gdt.Base = state.GdtAddress;
        sregs.Gdt.Limit = state.GdtLimit;
        sregs.Cr0 = ProtectionEnable | ExtensionType | (longMode ? Paging : 0);
        sregs.Cr3 = state.PageTableRoot;
        sregs.Cr4 = longMode ? PhysicalAddressExtension : 0;
        sregs.Efer = longMode ? LongModeEnable | LongModeActive : 0;
        vcpu.SetSregs(sregs);

        var regs = default(KvmRegs);
        regs.Rip = state.Entry;
        regs.Rsi = state.Rsi;
        regs.Rbx = state.Rbx;
        regs.Rsp = regs.Rbp = state.Rsp;
        regs.Rflags = 0x2;
        vcpu.SetRegs(regs);
    }

    /// <summary>LINT0 delivers the 8259's interrupts and LINT1 the NMI, as firmware would have set them.</summary>
    public static void WireLocalInterruptPins(KvmVcpu vcpu) => vcpu.SetLocalInterruptPins(ExtInt, Nmi);

    private static KvmSegment Flat(ushort selector, byte type, bool longMode) => new()
    {
        Base = 0,
        Limit = 0xFFFF_FFFF,
        Selector = selector,
        Type = type,
        Present = 1,
        DefaultBig = longMode ? (byte)0 : (byte)1,
        System = 1,
        Long = longMode ? (byte)1 : (byte)0,
        Granularity = 1,
    };
}
