using System.Runtime.CompilerServices;
using Domus.Vmm.Kvm.Abi;
using Domus.Vmm.Kvm.Interop;

namespace Domus.Vmm.Kvm.Tests;

/// <summary>The ABI as linux/kvm.h lays it out on x86-64: the sizes and request numbers the kernel checks.</summary>
public sealed class AbiTests
{
    [Fact]
    public void StructSizesMatchTheKernel()
    {
        Assert.Equal(144, Unsafe.SizeOf<KvmRegs>());
        Assert.Equal(24, Unsafe.SizeOf<KvmSegment>());
        Assert.Equal(16, Unsafe.SizeOf<KvmDtable>());
        Assert.Equal(312, Unsafe.SizeOf<KvmSregs>());
        Assert.Equal(32, Unsafe.SizeOf<KvmUserspaceMemoryRegion>());
        Assert.Equal(8, Unsafe.SizeOf<KvmIrqLevel>());
        Assert.Equal(64, Unsafe.SizeOf<KvmPitConfig>());
        Assert.Equal(40, Unsafe.SizeOf<KvmCpuidEntry2>());
        Assert.Equal(16, Unsafe.SizeOf<KvmMsrEntry>());
        Assert.Equal(32, Unsafe.SizeOf<KvmMsi>());
        Assert.Equal(64, Unsafe.SizeOf<KvmIoeventfd>());
        Assert.Equal(32, Unsafe.SizeOf<KvmIrqfd>());
        Assert.Equal(KvmRunHeader.ExitUnionOffset, Unsafe.SizeOf<KvmRunHeader>());
    }

    [Fact]
    public void RequestNumbersMatchTheKernel()
    {
        Assert.Equal((nuint)0xAE00, KvmIoctl.GetApiVersion);
        Assert.Equal((nuint)0xAE01, KvmIoctl.CreateVm);
        Assert.Equal((nuint)0xAE80, KvmIoctl.Run);
        Assert.Equal((nuint)0x8090AE81, KvmIoctl.GetRegs);
        Assert.Equal((nuint)0x4090AE82, KvmIoctl.SetRegs);
        Assert.Equal((nuint)0x8138AE83, KvmIoctl.GetSregs);
        Assert.Equal((nuint)0x4138AE84, KvmIoctl.SetSregs);
        Assert.Equal((nuint)0x4020AE46, KvmIoctl.SetUserMemoryRegion);
        Assert.Equal((nuint)0xC008AE05, KvmIoctl.GetSupportedCpuid);
        Assert.Equal((nuint)0x4008AE90, KvmIoctl.SetCpuid2);
        Assert.Equal((nuint)0x4040AE77, KvmIoctl.CreatePit2);
        Assert.Equal((nuint)0x4008AE61, KvmIoctl.IrqLine);
        Assert.Equal((nuint)0x4020AEA5, KvmIoctl.SignalMsi);
        Assert.Equal((nuint)0x4040AE79, KvmIoctl.Ioeventfd);
        Assert.Equal((nuint)0x4020AE76, KvmIoctl.Irqfd);
        Assert.Equal((nuint)0x8400AE8E, KvmIoctl.GetLapic);
        Assert.Equal((nuint)0x4400AE8F, KvmIoctl.SetLapic);
    }

    [Fact]
    public void KvmOpensOrSaysWhyNot()
    {
        if (KvmSystem.UnavailableReason() is { } reason)
        {
            Assert.Skip($"no usable KVM: {reason}");
        }

        using var kvm = KvmSystem.Open();
        Assert.True(kvm.CheckExtension(KvmSystem.CapabilityUserMemory) > 0);
        Assert.True(kvm.VcpuMmapSize() >= 4096);
        Assert.Contains(kvm.SupportedCpuid(), e => e.Function == 0);
        using var vm = kvm.CreateVm();
        using var vcpu = vm.CreateVcpu(0);
        Assert.Equal(0xF000, vcpu.GetSregs().Cs.Selector);
    }
}
