using Domus.Vmm.Devices.Bus;
using Domus.Vmm.Devices.Platform;
using Domus.Vmm.Devices.Serial;
using Domus.Vmm.Kvm;

namespace Domus.Vmm.Machine.Tests;

/// <summary>
/// SeaBIOS from Debian's seabios package, mapped as the PC firmware (below 4 GiB and at 0xE0000), starts
/// on KVM and prints its banner on the debug console. It needs /dev/kvm and the seabios package.
/// </summary>
public sealed class FirmwareSmokeTests
{
    private static string Bios => Environment.GetEnvironmentVariable("DOMUS_SEABIOS") is { Length: > 0 } path ? path : "/usr/share/seabios/bios.bin";

    [Fact]
    public async Task SeaBiosPrintsItsBannerOnTheDebugConsole()
    {
        if (KvmSystem.UnavailableReason() is { } reason)
        {
            Assert.Skip($"no usable KVM: {reason}");
        }

        if (!File.Exists(Bios))
        {
            Assert.Skip($"{Bios} is missing (Debian package seabios)");
        }

        var image = await File.ReadAllBytesAsync(Bios);
        using var machine = new VirtualMachine(new MachineOptions(64 << 20));
        var debug = new TextBackend();
        machine.Ports.Register(new BusRange(PlatformLayout.DebugConsolePort, 1), new DebugConsole(debug));
        machine.Ports.Register(new BusRange(PlatformLayout.Com1Port, PlatformLayout.UartPorts), new Uart16550(machine.InterruptLine(PlatformLayout.Com1Irq), new TextBackend()));
        machine.AddRom(PlatformLayout.HighMemoryStart, image);
        machine.Memory.Load(0x100000 - 0x20000, image.AsSpan(image.Length - 0x20000));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var run = machine.RunAsync(timeout.Token);
        while (!debug.Text.Contains("SeaBIOS (version", StringComparison.Ordinal) && !run.IsCompleted && !timeout.IsCancellationRequested)
        {
            await Task.Delay(50);
        }

        machine.Stop(new MachineStopReason(MachineStopKind.Stopped, "seen enough"));
        var stop = await run;
        Assert.True(debug.Text.Contains("SeaBIOS (version", StringComparison.Ordinal), $"{stop.Detail}; the debug console said: {debug.Text}");
    }
}
