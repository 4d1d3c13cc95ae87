using Domus.Vmm.Devices.Bus;
using Domus.Vmm.Devices.Serial;
using Domus.Vmm.Kvm;

namespace Domus.Vmm.Machine.Tests;

/// <summary>
/// Guests assembled from Guests/*.asm at build time, run on KVM: real-mode, protected-mode and long-mode entry,
/// port I/O (string I/O too), MMIO, and an interrupt from a device delivered through the in-kernel IOAPIC.
/// They need /dev/kvm and skip, saying so, where it is missing.
/// </summary>
public sealed class HandAssembledGuestTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(120);

    private static async Task<(MachineStopReason Stop, string Serial)> RunGuestAsync(string name, bool irqchip = false, IPortIoDevice? com1 = null)
    {
        var (machine, serial) = await LoadGuestAsync(name, irqchip, com1);
        using (machine)
        {
            using var timeout = new CancellationTokenSource(Limit);
            var stop = await machine.RunAsync(timeout.Token);
            return (stop, serial.Text);
        }
    }

    /// <summary>A machine with COM1 (or <paramref name="com1"/> in its place), the test exit port and an MMIO echo device, the guest at 0x1000 and the vCPU pointing at it.</summary>
    private static async Task<(VirtualMachine Machine, TextBackend Serial)> LoadGuestAsync(string name, bool irqchip, IPortIoDevice? com1 = null)
    {
        if (KvmSystem.UnavailableReason() is { } reason)
        {
            Assert.Skip($"no usable KVM: {reason}");
        }

        var binary = Path.Combine(AppContext.BaseDirectory, "guests", name + ".bin");
        if (!File.Exists(binary))
        {
            Assert.Skip($"{binary} was not assembled: nasm is not installed (scripts/test.sh installs it)");
        }

        var machine = new VirtualMachine(new MachineOptions(32 << 20, Irqchip: irqchip));
        var serial = new TextBackend();
        machine.Ports.Register(new BusRange(PlatformLayout.Com1Port, PlatformLayout.UartPorts), com1 ?? new Uart16550(machine.InterruptLine(PlatformLayout.Com1Irq), serial));
        machine.Ports.Register(new BusRange(PlatformLayout.TestExitPort, 1), new TestExit(machine));
        machine.Mmio.Register(new BusRange(0xD000_0000, 8), new EchoPlusOne());
        machine.Memory.Write(0x1000, await File.ReadAllBytesAsync(binary));
        var vcpu = machine.Vcpus[0];
        var sregs = vcpu.GetSregs();
        sregs.Cs.Base = 0;
        sregs.Cs.Selector = 0;
        vcpu.SetSregs(sregs);
        var regs = vcpu.GetRegs();
        regs.Rip = 0x1000;
        regs.Rflags = 2;
        vcpu.SetRegs(regs);
        return (machine, serial);
    }

    [Fact]
    public async Task RealModePortAndStringIo()
    {
        var (stop, serial) = await RunGuestAsync("realmode");
        Assert.True((stop.Kind, stop.ExitCode) == (MachineStopKind.Stopped, 0x2a), stop.Detail);
        Assert.Equal("real mode: string I/O!", serial);
    }

    [Fact]
    public async Task ProtectedModeAndMmio()
    {
        var (stop, serial) = await RunGuestAsync("protected");
        Assert.True((stop.Kind, stop.ExitCode) == (MachineStopKind.Stopped, 0), stop.Detail);
        Assert.Equal("protected mode: MMIO", serial);
    }

    [Fact]
    public async Task LongModeEntry()
    {
        var (stop, serial) = await RunGuestAsync("longmode");
        Assert.True((stop.Kind, stop.ExitCode) == (MachineStopKind.Stopped, 0), stop.Detail);
        Assert.Equal("long mode: 64-bit", serial);
    }

    [Fact]
    public async Task AnInterruptThroughTheIoapic()
    {
        var (stop, serial) = await RunGuestAsync("ioapic", irqchip: true);
        Assert.True((stop.Kind, stop.ExitCode) == (MachineStopKind.Stopped, 0), stop.Detail);
        Assert.Equal("interrupt: IOAPIC vector 0x30", serial);
    }

    [Fact]
    public async Task AnIrqfdSignalArrivesAsAnInterruptThroughTheIoapic()
    {
        var (machine, serial) = await LoadGuestAsync("irqfd", irqchip: true);
        using (machine)
        {
            var trigger = machine.InterruptTrigger(5);
            var run = machine.RunAsync(CancellationToken.None);

            // An edge before the guest has routed GSI 5 is lost, so the VMM signals until the guest answers.
            var deadline = DateTime.UtcNow + Limit;
            while (!run.IsCompleted && DateTime.UtcNow < deadline)
            {
                trigger.Signal();
                await Task.WhenAny(run, Task.Delay(50));
            }

            var stop = await run.WaitAsync(TimeSpan.FromSeconds(1));
            Assert.True((stop.Kind, stop.ExitCode) == (MachineStopKind.Stopped, 0), stop.Detail);
            Assert.Equal("interrupt: irqfd on GSI 5", serial.Text);
        }
    }

    [Fact]
    public async Task DoorbellWritesAreTakenByKvmWhereverTheBusMovesTheirDevice()
    {
        var (machine, _) = await LoadGuestAsync("doorbell", irqchip: false);
        using (machine)
        {
            var device = new DoorbellDevice();
            machine.Ports.Register(new BusRange(0x600, 0x20), device);
            machine.Ports.Move(device, new BusRange(0x700, 0x20));
            using var timeout = new CancellationTokenSource(Limit);
            var stop = await machine.RunAsync(timeout.Token);
            Assert.True((stop.Kind, stop.ExitCode) == (MachineStopKind.Stopped, 0x2a), stop.Detail);

            // The hundred doorbell writes never reached Write, only the one with another value did; the doorbell's
            // thread rang at least once (KVM counts the writes until it wakes).
            Assert.Equal([((ushort)0x10, 2u)], device.Writes);
            await WaitForAsync(() => device.Rings > 0);
        }
    }

    [Fact]
    public async Task ADeviceThatThrowsEndsTheMachineAsCrashedNamingTheAccess()
    {
        var (stop, _) = await RunGuestAsync("realmode", com1: new ThrowingDevice());
        Assert.True(stop.Kind == MachineStopKind.Crashed, stop.Detail);
        Assert.Equal("vCPU 0, port 3f8: a device failed: InvalidOperationException: a device bug", stop.Detail);
        Assert.IsType<InvalidOperationException>(stop.Fault);
    }

    [Fact]
    public async Task DeviceCodeOffTheVcpusThatThrowsEndsTheMachineAsCrashed()
    {
        var (machine, _) = await LoadGuestAsync("counter", irqchip: true);
        using (machine)
        {
            var run = machine.RunAsync(CancellationToken.None);
            var receive = machine.Guarded<ReadOnlySpan<byte>>("network card 0", frame => throw new InvalidOperationException($"a frame of {frame.Length} bytes"));
            receive([1, 2, 3]);
            var stop = await run.WaitAsync(Limit);
            Assert.Equal((MachineStopKind.Crashed, "network card 0: a device failed: InvalidOperationException: a frame of 3 bytes"), (stop.Kind, stop.Detail));
        }
    }

    [Fact]
    public async Task PauseHoldsAGuestThatNeverExitsAndResumeAndStopReachIt()
    {
        var (machine, _) = await LoadGuestAsync("counter", irqchip: true);
        using (machine)
        {
            uint Count() => machine.Memory.Read<uint>(0x2000);
            var run = machine.RunAsync(CancellationToken.None);
            await WaitForAsync(() => Count() > 1000);
            machine.Pause();
            var paused = Count();
            await Task.Delay(300);
            Assert.Equal(paused, Count());
            machine.Resume();
            await WaitForAsync(() => Count() > paused);
            var started = DateTime.UtcNow;
            machine.Stop(new MachineStopReason(MachineStopKind.Stopped, "test over"));
            var stop = await run.WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal("test over", stop.Detail);
            Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5));
        }
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Limit;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the guest made no progress");
            await Task.Delay(20);
        }
    }
}
