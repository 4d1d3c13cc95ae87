using System.Numerics;
using Domus.Config.Json;
using Domus.Config.Model;
using Domus.Config.Normalization;
using Domus.Vmm.Backends.Disks;
using Domus.Vmm.Backends.Network;
using Domus.Vmm.Boot.Linux;
using Domus.Vmm.Devices.Display;
using Domus.Vmm.Devices.Network;
using Domus.Vmm.Devices.Serial;
using Domus.Vmm.Devices.Storage;

namespace Domus.Vmm.Machine.Domain;

/// <summary>
/// A domain's PC, built from its normalized configuration: memory and vCPUs, the IDE disks and CD-ROMs on raw
/// or qcow2 images, COM1 (the console) and COM2, the standard VGA when the domain has one and a screen (vnc), the network cards on the taps domusd made, the clock offset of <c>localtime</c> and
/// <c>rtc_timeoffset</c>, and either SeaBIOS with the domain's boot order (and, to boot from the network, the cards'
/// iPXE ROMs, and the VGA BIOS) or the configured kernel, initrd and command line. It owns the images, taps and files it opened.
/// </summary>
public sealed class DomainMachine : IDisposable
{
    private readonly List<IDisposable> _opened;

    /// <summary>
    /// The fw_cfg name under which SeaBIOS finds the VGA BIOS: as the ROM of the VGA's PCI function, so that it hands
    /// SeaVGABIOS the function's address and the VGA BIOS finds the framebuffer where the BAR put it (a file under
    /// <c>vgaroms/</c> runs without one, and its linear framebuffer would be assumed at 0xE0000000).
    /// </summary>
    public static string VgaBiosFile => StdVgaPciIdentity.Identity.OptionRomFile;

    private DomainMachine(VirtualMachine machine, PcPlatform platform, StdVga? vga, List<IDisposable> opened)
    {
        Machine = machine;
        Platform = platform;
        Screen = vga is null ? null : new VgaRenderer(vga);
        _opened = opened;
    }

    public VirtualMachine Machine { get; }

    public PcPlatform Platform { get; }

    /// <summary>What the VGA shows, for VNC and screenshots; null when the domain has no screen.</summary>
    public VgaRenderer? Screen { get; }

    /// <exception cref="DomainMachineException">An image, kernel or firmware cannot be used, or KVM refuses the machine.</exception>
    public static DomainMachine Create(DomainMachineSetup setup)
    {
        var config = setup.Config;
        var opened = new List<IDisposable>();
        VirtualMachine? machine = null;
        try
        {
            var drives = OpenDrives(config, opened);
            var cards = OpenNetworkCards(config, setup.Taps, opened);
            var (com1, com2) = (SerialPort(config, 0, setup, opened), SerialPort(config, 1, setup, opened));
            var vga = OpenVga(config, opened);
            machine = new VirtualMachine(new MachineOptions((ulong)config.MemoryMib << 20, config.Vcpus, LegacyVgaWindow: vga is not null));
            var now = setup.Clock.GetUtcNow();
            var peripherals = new PcPeripherals(com1, com2, setup.FirmwareLog, setup.Clock)
            {
                ClockOffset = (config.Localtime ? TimeZoneInfo.Local.GetUtcOffset(now) : TimeSpan.Zero) + TimeSpan.FromSeconds(config.RtcTimeoffset),
                IdeDrives = drives,
                NetworkCards = cards,
                Vga = vga,
            };
            var platform = config.Kernel is { } kernel
                ? PcPlatform.BuildWithKernel(machine, peripherals, new KernelSetup
                {
                    Kernel = Read("kernel", kernel),
                    Initrd = config.Ramdisk is { } ramdisk ? Read("ramdisk", ramdisk) : null,
                    CommandLine = config.Cmdline ?? "",
                })
                : PcPlatform.BuildWithFirmware(machine, peripherals, new FirmwareSetup
                {
                    Firmware = Read("firmware", FirmwarePath(config.Firmware, setup.SeaBios)),
                    // SeaBIOS's own rule under QEMU: its screen goes to COM1 only on a machine without graphics.
                    SerialConsolePort = vga is null ? PlatformLayout.Com1Port : null,
                    BootOrder = config.Boot,
                    OptionRoms = OptionRoms(config, cards, vga is not null, setup),
                });
            return new DomainMachine(machine, platform, vga, opened);
        }
        catch (Exception e)
        {
            machine?.Dispose();
            opened.ForEach(o => o.Dispose());
            if (e is IOException or UnauthorizedAccessException or KernelImageException)
            {
                throw new DomainMachineException(e.Message, e);
            }

            throw;
        }
    }

    private static AtaDevice?[] OpenDrives(DomainConfig config, List<IDisposable> opened)
    {
        var drives = new AtaDevice?[4];
        foreach (var disk in config.Disks)
        {
            if (disk.Bus != DiskBus.Ide || disk.Index is < 0 or > 3)
            {
                throw new DomainMachineException($"disk {disk.Vdev}: domus-dm has IDE drives only (hda to hdd)");
            }

            var serial = $"DM{config.Uuid.ToString("N")[..8].ToUpperInvariant()}{disk.Index}";
            IDiskImage? image = null;
            if (disk.Target is { } target)
            {
                try
                {
                    // The configuration's format decides, as QEMU's format= does: a raw disk is never probed, so a
                    // guest that writes a qcow2 header into it cannot make domus-dm open other files or structures.
                    image = disk.Format == DiskFormat.Qcow2 ? Qcow2DiskImage.Open(target, disk.IsReadOnly) : RawDiskImage.Open(target, disk.IsReadOnly);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new DomainMachineException($"disk {disk.Vdev}: cannot open {target}: {e.Message}", e);
                }

                opened.Add(image);
            }

            drives[disk.Index] = disk.Devtype == DiskDeviceType.Cdrom
                ? new AtapiCdrom(image, serial)
                : new AtaDisk(image ?? throw new DomainMachineException($"disk {disk.Vdev}: a hard disk needs an image"), serial);
        }

        return drives;
    }

    /// <summary>COM1 or COM2: the console (<c>pty</c>, COM1 only), a file (<c>file:/PATH</c>), or nothing (<c>null</c>, <c>none</c>, or no entry).</summary>
    private static ISerialBackend SerialPort(DomainConfig config, int index, DomainMachineSetup setup, List<IDisposable> opened)
    {
        var target = index < config.Serial.Count ? config.Serial[index] : "null";
        switch (target)
        {
            case "pty" when index == 0:
                return setup.Console;
            case "null" or SerialTarget.None:
                // domus-dm's PC always has both ports; 'none' leaves nothing attached to this one.
                return DiscardingBackend.Instance;
            case var file when file.StartsWith("file:", StringComparison.Ordinal):
                try
                {
                    var backend = FileSerialBackend.Open(file["file:".Length..]);
                    opened.Add(backend);
                    return backend;
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new DomainMachineException($"serial {index}: cannot write {file["file:".Length..]}: {e.Message}", e);
                }

            default:
                throw new DomainMachineException($"serial {index}: '{target}': domus-dm's COM1 is 'pty', 'file:/PATH' or 'null', and COM2 'file:/PATH' or 'null'");
        }
    }

    private static List<PcNetworkCard> OpenNetworkCards(DomainConfig config, IReadOnlyList<string> taps, List<IDisposable> opened)
    {
        if (taps.Count != config.Vifs.Count)
        {
            throw new DomainMachineException($"vif: the domain has {config.Vifs.Count} network cards, but {taps.Count} taps were given");
        }

        if (config.Vifs.Count > PlatformLayout.MaxNetworkCards)
        {
            throw new DomainMachineException($"vif: domus-dm takes {PlatformLayout.MaxNetworkCards} network cards at most");
        }

        // Every model is checked before any tap is opened.
        var unbuilt = config.Vifs.ToList().FindIndex(v => !PcNetworkCard.IsBuilt(v.Model));
        if (unbuilt >= 0)
        {
            var model = JsonEnumSpelling.Of(config.Vifs[unbuilt].Model);
            throw new DomainMachineException($"vif {unbuilt}: domus-dm has pcnet and virtio-net cards, not {model}");
        }

        var cards = new List<PcNetworkCard>();
        for (var i = 0; i < config.Vifs.Count; i++)
        {
            var vif = config.Vifs[i];
            try
            {
                var tap = TapDevice.Open(taps[i]);
                opened.Add(tap);
                cards.Add(new PcNetworkCard(vif.Model, vif.Mac, tap));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
            {
                throw new DomainMachineException($"vif {i}: {e.Message}", e);
            }
        }

        return cards;
    }

    /// <summary>
    /// The standard VGA when the domain has a screen: <c>vga = "stdvga"</c> and VNC or SDL on (domusd refuses other
    /// cards with a screen). The machine's owner keeps it, so that its video memory outlives the KVM slot that maps it.
    /// </summary>
    private static StdVga? OpenVga(DomainConfig config, List<IDisposable> opened)
    {
        if (config.Vga != VgaKind.Stdvga || !(config.Vnc.Enabled || config.Sdl))
        {
            return null;
        }

        // videoram, rounded up to a power of two as QEMU does: the framebuffer BAR's size must be one.
        var vga = new StdVga((int)BitOperations.RoundUpToPowerOf2((uint)config.VideoramMib) << 20);
        opened.Add(vga);
        return vga;
    }

    /// <summary>The ROMs SeaBIOS runs: the cards' iPXE to boot from the network, and the VGA BIOS for a screen.</summary>
    private static Dictionary<string, byte[]> OptionRoms(DomainConfig config, List<PcNetworkCard> cards, bool hasVga, DomainMachineSetup setup)
    {
        var roms = config.Boot.Contains('n') ? NetworkBootRoms(cards, setup.IpxeDirectory) : [];
        if (hasVga)
        {
            roms[VgaBiosFile] = Read("vga", setup.VgaBios);
        }

        return roms;
    }

    /// <summary>iPXE for each card model, under the fw_cfg name SeaBIOS looks for: Debian's pxe-pcnet.rom and pxe-virtio.rom.</summary>
    private static Dictionary<string, byte[]> NetworkBootRoms(List<PcNetworkCard> cards, string ipxeDirectory)
    {
        var roms = new Dictionary<string, byte[]>();
        foreach (var model in cards.Select(c => c.Model).Distinct())
        {
            var (identity, rom) = model == NicModel.Pcnet ? (PcnetController.PciIdentity, "pxe-pcnet.rom") : (VirtioNetDevice.PciIdentity, "pxe-virtio.rom");
            roms[identity.OptionRomFile] = Read("boot = \"n\"", Path.Combine(ipxeDirectory, rom));
        }

        return roms;
    }

    private static string FirmwarePath(string firmware, string seaBios) => firmware switch
    {
        "seabios" => seaBios,
        "ovmf" => throw new DomainMachineException("firmware = \"ovmf\": domus-dm boots SeaBIOS only; use the QEMU device model for UEFI"),
        _ => firmware,
    };

    private static byte[] Read(string key, string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DomainMachineException($"{key}: cannot read {path}: {e.Message}", e);
        }
    }

    public void Dispose()
    {
        Machine.Dispose();
        _opened.ForEach(o => o.Dispose());
    }
}
