using Domus.Config.Model;
using Domus.Platform;
using Domus.Tests.Networking;
using Domus.Vmm.Backends.Disks;
using Domus.Vmm.Devices.Bus;
using Domus.Vmm.Devices.Display;
using Domus.Vmm.Devices.Network;
using Domus.Vmm.Devices.Storage;
using Domus.Vmm.Kvm;
using Domus.Vmm.Machine.Domain;

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

    /// <summary>
    /// Runs SeaBIOS until the guest exits, COM1 shows <paramref name="until"/>, <paramref name="done"/> says so, or 90
    /// seconds pass; then lets <paramref name="inspect"/> look at the stopped machine.
    /// </summary>
    private static async Task<(MachineStopReason Stop, string Com1, string Debug)> BootAsync(
        string bootOrder, AtaDevice?[] ide, string until = "\0", IReadOnlyList<PcNetworkCard>? cards = null, FirmwareSetup? firmware = null,
        Func<bool>? done = null, Action<VirtualMachine>? inspect = null, StdVga? vga = null)
    {
        using var machine = new VirtualMachine(new MachineOptions(64 << 20, LegacyVgaWindow: vga is not null));
        var com1 = new TextBackend();
        var debug = new TextBackend();
        var setup = (firmware ?? new FirmwareSetup { Firmware = [] }) with { Firmware = await File.ReadAllBytesAsync(Bios), SerialConsolePort = PlatformLayout.Com1Port, BootOrder = bootOrder };
        PcPlatform.BuildWithFirmware(machine, new PcPeripherals(com1, new TextBackend(), debug, TimeProvider.System) { IdeDrives = ide, NetworkCards = cards ?? [], Vga = vga }, setup);
        machine.Ports.Register(new BusRange(PlatformLayout.TestExitPort, 1), new TestExit(machine));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var run = machine.RunAsync(timeout.Token);
        while (!com1.Text.Contains(until, StringComparison.Ordinal) && done?.Invoke() != true && !run.IsCompleted)
        {
            await Task.Delay(50);
        }

        machine.Stop(new MachineStopReason(MachineStopKind.Stopped, "the test saw what it waited for"));
        var stop = await run;
        inspect?.Invoke(machine);
        return (stop, com1.Text, debug.Text);
    }

    /// <summary>A dword of a PCI function's configuration space, read as the guest would through ports 0xCF8/0xCFC.</summary>
    private static uint ReadPciConfig(VirtualMachine machine, int slot, int register)
    {
        Assert.True(machine.Ports.TryResolve(PlatformLayout.PciConfigPort, 4, out var pci, out _));
        pci.Write(0, BitConverter.GetBytes(0x8000_0000u | (uint)(slot << 11) | (uint)register));
        var value = new byte[4];
        pci.Read(4, value);
        return BitConverter.ToUInt32(value);
    }

    private static PcNetworkCard Card(NicModel model, byte last, RecordingNetwork wire) =>
        new(model, MacAddress.InXenRange([last]), wire);

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
    public async Task WithTheStandardVgaSeaVgaBiosRunsAndSeaBiosWritesOnTheScreen()
    {
        RequireKvmAndSeaBios();
        if (!File.Exists(DomainMachineSetup.DefaultVgaBios))
        {
            Assert.Skip($"{DomainMachineSetup.DefaultVgaBios} is missing (Debian package seabios)");
        }

        using var vga = new StdVga();
        var roms = new Dictionary<string, byte[]> { [DomainMachine.VgaBiosFile] = await File.ReadAllBytesAsync(DomainMachineSetup.DefaultVgaBios) };
        var run = await BootAsync("c", [null, null, null, null], until: "No bootable device", firmware: new FirmwareSetup { Firmware = [], OptionRoms = roms }, vga: vga);
        Assert.True(run.Com1.Contains("No bootable device", StringComparison.Ordinal), Transcript(run));
        var screen = string.Join("\n", new VgaRenderer(vga).ReadText() ?? ["(not a text mode)"]);
        Assert.True(screen.Contains("SeaBIOS", StringComparison.Ordinal), $"{Transcript(run)}\n--- screen:\n{screen}");
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
    public async Task ABootSectorOnAQcow2HdaBootsAndReadsTheDiskThroughTheBios()
    {
        RequireKvmAndSeaBios();
        var image = Path.Combine(_scratch, "bootdisk.qcow2");
        var (exit, output) = await HostCommand.RunAsync("qemu-img", ["convert", "-f", "raw", "-O", "qcow2", Guest("bootdisk.bin"), image], CancellationToken.None);
        Assert.True(exit == 0, $"qemu-img (Debian package qemu-utils): {output}");
        var run = await BootAsync("c", [new AtaDisk(Qcow2DiskImage.Open(image, readOnly: false), "DM-HDA"), null, null, null]);
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

    [Fact]
    public async Task SeaBiosPlacesTheNetworkCardsAndTheirInterruptsFollowThePirqRouting()
    {
        RequireKvmAndSeaBios();
        var pcnet = Card(NicModel.Pcnet, 1, new RecordingNetwork());
        var virtio = Card(NicModel.VirtioNet, 2, new RecordingNetwork());
        var registers = new Dictionary<int, (uint Bar, uint Interrupt, byte SecondMacByte)>();
        var run = await BootAsync("c", [null, null, null, null], "No bootable device", [pcnet, virtio], inspect: machine =>
        {
            for (var slot = 3; slot <= 4; slot++)
            {
                // The MAC's second byte: the PCnet's address PROM at 0, virtio-net's device configuration at 0x14.
                var bar = ReadPciConfig(machine, slot, 0x10) & ~3u;
                var mac = new byte[1];
                Assert.True(machine.Ports.TryResolve(bar + (slot == 3 ? 1u : 0x15u), 1, out var card, out var offset), $"nothing decodes port {bar:x}");
                card.Read((ushort)offset, mac);
                registers[slot] = (bar, ReadPciConfig(machine, slot, 0x3C) & 0xFFFF, mac[0]);
            }
        });
        Assert.True(run.Debug.Contains("PCI: init bdf=00:03.0 id=1022:2000", StringComparison.Ordinal), Transcript(run));
        Assert.True(run.Debug.Contains("PCI: init bdf=00:04.0 id=1af4:1000", StringComparison.Ordinal), Transcript(run));
        Assert.Matches(@"PCI: map device bdf=00:03\.0 +bar 0, addr 0000[0-9a-f]{4}, size 00000020 \[io\]", run.Debug);

        // The BARs SeaBIOS chose decode the cards' registers (Xen's 00:16:3e), and each INTA# is on the IRQ its
        // PIRQ routes to: slot 3 drives PIRQC, slot 4 PIRQD, both IRQ 11 (pin 1 in the register's high byte).
        Assert.Equal((byte)0x16, registers[3].SecondMacByte);
        Assert.Equal((byte)0x16, registers[4].SecondMacByte);
        Assert.NotEqual(registers[3].Bar, registers[4].Bar);
        Assert.Equal(0x010Bu, registers[3].Interrupt);
        Assert.Equal(0x010Bu, registers[4].Interrupt);
    }

    /// <summary>With virtio-net, iPXE's transmissions ring the card's doorbell, which KVM takes (an ioeventfd).</summary>
    [Theory]
    [InlineData(NicModel.Pcnet, "pxe-pcnet.rom")]
    [InlineData(NicModel.VirtioNet, "pxe-virtio.rom")]
    public async Task BootingFromTheNetworkRunsTheCardsIpxeWhichAsksForALease(NicModel model, string romFile)
    {
        RequireKvmAndSeaBios();
        if (!HostFacts.HardwareKvm)
        {
            // iPXE's start stops at an iret that the software-emulated KVM of these machines cannot emulate.
            Assert.Skip("KVM here is not hardware-assisted (kvm_intel/kvm_amd are not loaded); iPXE cannot run under a software-emulated KVM");
        }

        var rom = Path.Combine(DomainMachineSetup.DefaultIpxeDirectory, romFile);
        if (!File.Exists(rom))
        {
            Assert.Skip($"{rom} is missing (Debian package ipxe-qemu)");
        }

        var wire = new RecordingNetwork();
        var card = Card(model, 3, wire);
        var identity = model == NicModel.Pcnet ? PcnetController.PciIdentity : VirtioNetDevice.PciIdentity;
        var roms = new Dictionary<string, byte[]> { [identity.OptionRomFile] = await File.ReadAllBytesAsync(rom) };
        var run = await BootAsync("n", [null, null, null, null], cards: [card], firmware: new FirmwareSetup { Firmware = [], OptionRoms = roms }, done: () => wire.Sent.Any(IsDhcpDiscoverFrom(card.Mac)));
        Assert.True(run.Com1.Contains("iPXE", StringComparison.Ordinal), Transcript(run));
        Assert.True(wire.Sent.Any(IsDhcpDiscoverFrom(card.Mac)), $"no DHCP DISCOVER from {card.Mac} among {wire.Sent.Count} frames\n{Transcript(run)}");
    }

    /// <summary>An Ethernet frame from <paramref name="mac"/> carrying UDP to port 67 whose DHCP message type (option 53) is DISCOVER.</summary>
    private static Func<byte[], bool> IsDhcpDiscoverFrom(MacAddress mac) => frame =>
    {
        const int ethernet = 14, udpHeader = 8, bootpFixed = 236, magicCookie = 4;
        if (frame.Length < ethernet + 20 || frame[12] != 0x08 || frame[13] != 0x00 || frame[ethernet + 9] != 17 || !Enumerable.Range(0, 6).All(i => frame[6 + i] == mac[i]))
        {
            return false;
        }

        var udp = ethernet + ((frame[ethernet] & 0xF) * 4);
        var options = udp + udpHeader + bootpFixed + magicCookie;
        return frame.Length > options && frame[udp + 2] == 0 && frame[udp + 3] == 67 && DhcpMessageType(frame.AsSpan(options)) == 1;
    };

    private static int DhcpMessageType(ReadOnlySpan<byte> options)
    {
        for (var i = 0; i + 2 < options.Length && options[i] != 0xFF; i += options[i] == 0 ? 1 : 2 + options[i + 1])
        {
            if (options[i] == 53)
            {
                return options[i + 2];
            }
        }

        return -1;
    }

    public void Dispose() => Directory.Delete(_scratch, recursive: true);
}
