using Domus.Platform;
using Domus.Vmm.Boot.Linux;
using Domus.Vmm.Kvm;

namespace Domus.Vmm.Machine.Tests;

/// <summary>
/// Debian's cloud kernel started directly, without firmware, by both entry paths: the bzImage through the 64-bit
/// boot protocol and the vmlinux through its PVH note. On the software-emulated KVM of the project's machines the
/// kernel stops soon after its early console, so these tests read what it printed there: its version, the command
/// line, the e820 map the VMM built, the initrd where the loader put it, and the ACPI tables the VMM provides.
/// On a host with hardware KVM the kernel must also reach its init.
/// </summary>
public sealed class LinuxDirectBootTests
{
    private const ulong Memory = 256 << 20;
    private const string CommandLine = "console=ttyS0 earlyprintk=serial,ttyS0,115200 panic=-1 domus.test=direct";

    private static void RequireKvm()
    {
        if (KvmSystem.UnavailableReason() is { } reason)
        {
            Assert.Skip($"no usable KVM: {reason}");
        }
    }

    private static async Task<(MachineStopReason Stop, string Console)> BootAsync(string kernel, string until, byte[] initrd)
    {
        using var machine = new VirtualMachine(new MachineOptions(Memory));
        var com1 = new TextBackend();
        PcPlatform.BuildWithKernel(machine, new PcPeripherals(com1, new TextBackend(), new TextBackend(), TimeProvider.System), new KernelSetup
        {
            Kernel = await File.ReadAllBytesAsync(kernel),
            Initrd = initrd,
            CommandLine = CommandLine,
        });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(150));
        var run = machine.RunAsync(timeout.Token);
        while (!com1.Text.Contains(until, StringComparison.Ordinal) && !run.IsCompleted)
        {
            await Task.Delay(100);
        }

        machine.Stop(new MachineStopReason(MachineStopKind.Stopped, $"the console showed '{until}'"));
        return (await run, com1.Text);
    }

    private static void AssertEarlyConsole(string console, string detail, int initrdLength)
    {
        var transcript = $"{detail}\n--- COM1:\n{console}";
        Assert.True(console.Contains("Linux version", StringComparison.Ordinal), transcript);
        Assert.True(console.Contains($"Command line: {CommandLine}", StringComparison.Ordinal), transcript);
        Assert.True(console.Contains("BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable", StringComparison.Ordinal), transcript);
        Assert.True(console.Contains("BIOS-e820: [mem 0x000000000009fc00-0x00000000000fffff] reserved", StringComparison.Ordinal), transcript);
        Assert.True(console.Contains($"BIOS-e820: [mem 0x0000000000100000-0x{Memory - 1:x16}] usable", StringComparison.Ordinal), transcript);
        var initrdStart = (Memory - (ulong)initrdLength) & ~0xFFFUL;
        var initrdEnd = (initrdStart + (ulong)initrdLength + 0xFFF) & ~0xFFFUL;
        Assert.True(console.Contains($"RAMDISK: [mem 0x{initrdStart:x8}-0x{initrdEnd - 1:x8}]", StringComparison.Ordinal), transcript);
        Assert.True(console.Contains($"ACPI: RSDP 0x{DirectBootLayout.BiosArea:X16} 000014 (v00 DOMUS )", StringComparison.Ordinal), transcript);
        foreach (var table in new[] { "RSDT", "FACP", "DSDT", "FACS", "APIC" })
        {
            Assert.True(console.Contains($"ACPI: {table} 0x", StringComparison.Ordinal), transcript);
        }
    }

    [Fact]
    public async Task ABzImageBootsThroughThe64BitBootProtocol()
    {
        RequireKvm();
        var initrd = TestKernel.Initramfs();
        var (stop, console) = await BootAsync((await TestKernel.GetAsync()).Vmlinuz, "ACPI: APIC", initrd);
        AssertEarlyConsole(console, stop.Detail, initrd.Length);
    }

    [Fact]
    public async Task AVmlinuxBootsThroughItsPvhEntry()
    {
        RequireKvm();
        var initrd = TestKernel.Initramfs();
        var (stop, console) = await BootAsync((await TestKernel.GetAsync()).Vmlinux, "ACPI: APIC", initrd);
        AssertEarlyConsole(console, stop.Detail, initrd.Length);
    }

    [Fact]
    public async Task OnHardwareKvmTheKernelReachesItsInit()
    {
        RequireKvm();
        if (!HostFacts.HardwareKvm)
        {
            Assert.Skip("KVM here is not hardware-assisted (kvm_intel/kvm_amd are not loaded; a software-emulated KVM stops Linux soon after its early console)");
        }

        var initrd = TestKernel.Initramfs();
        var (stop, console) = await BootAsync((await TestKernel.GetAsync()).Vmlinuz, "Run /init as init process", initrd);
        Assert.True(console.Contains("Run /init as init process", StringComparison.Ordinal), $"{stop.Detail}\n--- COM1:\n{console}");
    }

}
