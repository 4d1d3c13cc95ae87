using Domus.Vmm.Backends.Disks;
using Domus.Vmm.Devices.Bus;
using Domus.Vmm.Devices.Storage;
using Domus.Vmm.Kvm;

namespace Domus.Vmm.Machine.Tests;

/// <summary>
/// SeaBIOS from Debian's seabios package boots the PC that <see cref="PcPlatform"/> builds, on KVM: its banner
/// appears on the debug console; told to use COM1 as its screen (etc/sercon-port) it reports there that there is
/// nothing to boot; it boots a boot sector from an IDE disk (hda) and an El Torito image from an ATAPI CD-ROM
/// (hdc), in the order of xm's <c>boot</c>. The boot guests are assembled from Guests/*.asm and the ISO is made
/// with xorriso when the tests build. These tests need /dev/kvm and the seabios package, and skip without them.
/// </summary>
public sealed class FirmwareBootTests : IDisposable
{
    private const byte DiskBooted = 0x2a, CdBooted = 0x2b;
    private readonly string _scratch = Directory.CreateTempSubdirectory("domus-boot-").FullName;

    private static string Bios => Environment.GetEnvironmentVariable("DOMUS_SEABIOS") is { Length: > 0 } path ? path : "/usr/share/seabios/bios.bin";

    private static string Guest(string file)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "guests", file);
        if (!File.Exists(path))
        {
            Assert.Skip($"{path} was not built: nasm or xorriso is not installed (scripts/test.sh installs them)");
        }

        return path;
    }

    private static void RequireKvmAndSeaBios()
    {
        if (KvmSystem.UnavailableReason() is { } reason)
        {
            Assert.Skip($"no usable KVM: {reason}");
        }

        if (!File.Exists(Bios))
        {
            Assert.Skip($"{Bios} is missing (Debian package seabios)");
        }
    }

    /// <summary>Runs SeaBIOS until the guest exits, COM1 shows <paramref name="until"/>, or 90 seconds pass.</summary>
    private static async Task<(MachineStopReason Stop, string Com1, string Debug)> BootAsync(string bootOrder, AtaDevice?[] ide, string until = "\0")
    {
        using var machine = new VirtualMachine(new MachineOptions(64 << 20));
        var com1 = new TextBackend();
        var debug = new TextBackend();
        var setup = new FirmwareSetup { Firmware = await File.ReadAllBytesAsync(Bios), SerialConsolePort = PlatformLayout.Com1Port, BootOrder = bootOrder };
        PcPlatform.BuildWithFirmware(machine, new PcPeripherals(com1, new TextBackend(), debug, TimeProvider.System) { IdeDrives = ide }, setup);
        machine.Ports.Register(new BusRange(PlatformLayout.TestExitPort, 1), new TestExit(machine));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var run = machine.RunAsync(timeout.Token);
        while (!com1.Text.Contains(until, StringComparison.Ordinal) && !run.IsCompleted)
        {
            await Task.Delay(50);
        }

        machine.Stop(new MachineStopReason(MachineStopKind.Stopped, $"COM1 showed '{until}'"));
        return (await run, com1.Text, debug.Text);
    }

    private static string Transcript((MachineStopReason Stop, string Com1, string Debug) run) =>
        $"{run.Stop.Detail}\n--- COM1:\n{run.Com1}\n--- debug console:\n{run.Debug}";

    private AtaDisk BootDisk()
    {
        var copy = Path.Combine(_scratch, $"{Guid.NewGuid():N}.img");
        File.Copy(Guest("bootdisk.bin"), copy);
        return new AtaDisk(RawDiskImage.Open(copy, readOnly: false), "DM-HDA");
    }

    private static AtapiCdrom BootCd() => new(RawDiskImage.Open(Guest("cdboot.iso"), readOnly: true), "DM-HDC");

    [Fact]
    public async Task SeaBiosStartsAndFindsNoBootableDevice()
    {
        RequireKvmAndSeaBios();
        var run = await BootAsync("c", [null, null, null, null], until: "No bootable device");
        Assert.True(run.Debug.Contains("SeaBIOS (version", StringComparison.Ordinal), Transcript(run));
        Assert.True(run.Com1.Contains("No bootable device", StringComparison.Ordinal), Transcript(run));
    }

    [Fact]
    public async Task ABootSectorOnHdaBootsAndReadsTheDiskThroughTheBios()
    {
        RequireKvmAndSeaBios();
        var run = await BootAsync("c", [BootDisk(), null, null, null]);
        Assert.True(run.Stop.ExitCode == DiskBooted, Transcript(run));
        Assert.Contains("boot sector: DL=80\nsecond sector: read through INT 13h", run.Debug, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnElToritoCdOnHdcBootsAndReadsTheDisc()
    {
        RequireKvmAndSeaBios();
        var run = await BootAsync("d", [null, null, BootCd(), null]);
        Assert.True(run.Stop.ExitCode == CdBooted, Transcript(run));
        Assert.Contains("El Torito: DL=E0\nprimary volume descriptor: CD001", run.Debug, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cd", DiskBooted)]
    [InlineData("dc", CdBooted)]
    public async Task TheBootOrderDecidesBetweenDiskAndCd(string order, byte expected)
    {
        RequireKvmAndSeaBios();
        var run = await BootAsync(order, [BootDisk(), null, BootCd(), null]);
        Assert.True(run.Stop.ExitCode == expected, Transcript(run));
    }

    public void Dispose() => Directory.Delete(_scratch, recursive: true);
}
