using Domus.Vmm.Kvm;

namespace Domus.Vmm.Machine.Tests;

/// <summary>
/// SeaBIOS from Debian's seabios package boots the PC that <see cref="PcPlatform"/> builds on KVM: its banner
/// appears on the debug console, and, told to use COM1 as its screen (etc/sercon-port), it reports on the
/// serial port that there is nothing to boot. It needs /dev/kvm and the seabios package.
/// </summary>
public sealed class FirmwareSmokeTests
{
    private static string Bios => Environment.GetEnvironmentVariable("DOMUS_SEABIOS") is { Length: > 0 } path ? path : "/usr/share/seabios/bios.bin";

    [Fact]
    public async Task SeaBiosStartsAndFindsNoBootableDevice()
    {
        if (KvmSystem.UnavailableReason() is { } reason)
        {
            Assert.Skip($"no usable KVM: {reason}");
        }

        if (!File.Exists(Bios))
        {
            Assert.Skip($"{Bios} is missing (Debian package seabios)");
        }

        using var machine = new VirtualMachine(new MachineOptions(64 << 20));
        var com1 = new TextBackend();
        var debug = new TextBackend();
        var setup = new FirmwareSetup { Firmware = await File.ReadAllBytesAsync(Bios), SerialConsolePort = PlatformLayout.Com1Port };
        PcPlatform.Build(machine, setup, com1, new TextBackend(), debug, TimeProvider.System);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var run = machine.RunAsync(timeout.Token);
        while (!com1.Text.Contains("No bootable device", StringComparison.Ordinal) && !run.IsCompleted)
        {
            await Task.Delay(50);
        }

        machine.Stop(new MachineStopReason(MachineStopKind.Stopped, "seen enough"));
        var stop = await run;
        var transcript = $"{stop.Detail}\n--- COM1:\n{com1.Text}\n--- debug console:\n{debug.Text}";
        Assert.True(debug.Text.Contains("SeaBIOS (version", StringComparison.Ordinal), transcript);
        Assert.True(com1.Text.Contains("No bootable device", StringComparison.Ordinal), transcript);
    }
}
