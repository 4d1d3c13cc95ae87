using System.Globalization;
using Domus.Config.Model;

namespace Domus.DeviceModels.Qemu;

/// <summary>
/// Builds QEMU's argv from a normalized domain, as xend turned a domain into qemu-dm's command line, in
/// today's QEMU syntax. Every user-supplied text goes through <see cref="QemuValue.Escape"/> inside a
/// key=value option; nothing passes through a shell. The machine starts paused (-S), daemonizes once it is
/// set up, and leaves power-off and reboot to domusd (-action), which applies on_poweroff and on_reboot.
/// </summary>
public static class QemuCommandLine
{
    public const string DefaultProgram = "qemu-system-x86_64";

    public static IReadOnlyList<string> Build(DeviceModelLaunch launch)
    {
        var config = launch.Config;
        var args = new List<string>
        {
            "-name", $"guest={QemuValue.Escape(config.Name)},debug-threads=on",
            "-uuid", config.Uuid.ToString("D"),
            "-machine", $"pc,accel={launch.Accelerator.Name}{(config.Acpi ? string.Empty : ",acpi=off")}",
            "-cpu", CpuModel(launch.Accelerator, config),
            "-m", $"size={config.MemoryMib}M",
            "-smp", $"{config.Vcpus},maxcpus={config.Maxvcpus}",
            "-rtc", $"base={RtcBase(config, launch.Now)}",
            "-boot", $"order={config.Boot},menu=off",
            "-nodefaults", "-no-user-config",
            "-S",
            "-action", $"reboot={(config.RebootsInPlace ? "reset" : "shutdown")},shutdown=pause,panic=pause",
            "-qmp", $"unix:{QemuValue.Escape(launch.Paths.ControlSocket)},server=on,wait=off",
            "-pidfile", launch.Paths.PidFile,
            "-daemonize",
        };
        AddFirmwareAndKernel(args, config);
        AddDisks(args, config.Disks);
        AddNics(args, config.Vifs, launch.Taps);
        AddSerialPorts(args, config.Serial, launch.Paths);
        AddDisplay(args, config, launch.DomainId);
        AddUsb(args, config);
        AddSound(args, config.Soundhw);
        return args;
    }

    private static string CpuModel(AcceleratorChoice accelerator, DomainConfig config)
    {
        var model = accelerator.CpuModel;
        if (!config.Pae)
        {
            model += ",-pae";
        }

        // As in Xen, apic=0 only counts for a single vCPU.
        if (!config.Apic && config.Maxvcpus == 1)
        {
            model += ",-apic";
        }

        return model;
    }

    private static string RtcBase(DomainConfig config, DateTimeOffset now)
    {
        if (config.RtcTimeoffset == 0)
        {
            return config.Localtime ? "localtime" : "utc";
        }

        var clock = (config.Localtime ? now.ToLocalTime() : now.ToUniversalTime()).AddSeconds(config.RtcTimeoffset);
        return clock.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
    }

    private static void AddFirmwareAndKernel(List<string> args, DomainConfig config)
    {
        switch (config.Firmware)
        {
            case "seabios":
                break;
            case "ovmf":
                args.AddRange(["-bios", "/usr/share/ovmf/OVMF.fd"]);
                break;
            default:
                args.AddRange(["-bios", config.Firmware]);
                break;
        }

        if (config.Kernel is not null)
        {
            args.AddRange(["-kernel", config.Kernel]);
            if (config.Ramdisk is not null)
            {
                args.AddRange(["-initrd", config.Ramdisk]);
            }

            if (config.Cmdline is not null)
            {
                args.AddRange(["-append", config.Cmdline]);
            }
        }
    }

    private static void AddDisks(List<string> args, IReadOnlyList<DiskConfig> disks)
    {
        var scsi = false;
        foreach (var disk in disks)
        {
            var id = $"drive-{disk.Vdev}";
            var drive = $"if=none,id={id}";
            if (disk.Target is not null)
            {
                drive += $",file={QemuValue.Escape(disk.Target)},format={(disk.Format == DiskFormat.Qcow2 ? "qcow2" : "raw")}";
            }

            if (disk.Devtype == DiskDeviceType.Cdrom)
            {
                drive += ",media=cdrom";
            }

            if (disk.Access == DiskAccess.ReadOnly)
            {
                // An emulated IDE hard disk cannot refuse writes; its writes go to a throw-away overlay instead,
                // so that the image itself stays untouched. Everything else can be read-only outright.
                drive += disk.Bus == DiskBus.Ide && disk.Devtype == DiskDeviceType.Disk ? ",snapshot=on" : ",readonly=on";
            }

            args.AddRange(["-drive", drive]);
            if (disk.Bus == DiskBus.Scsi && !scsi)
            {
                args.AddRange(["-device", "virtio-scsi-pci,id=scsi0"]);
                scsi = true;
            }

            args.AddRange(["-device", DiskDevice(disk, id)]);
        }
    }

    private static string DiskDevice(DiskConfig disk, string drive)
    {
        var cdrom = disk.Devtype == DiskDeviceType.Cdrom;
        return disk.Bus switch
        {
            DiskBus.Ide => $"{(cdrom ? "ide-cd" : "ide-hd")},drive={drive},bus=ide.{disk.Index / 2},unit={disk.Index % 2},id=disk-{disk.Vdev}",
            DiskBus.Scsi => $"{(cdrom ? "scsi-cd" : "scsi-hd")},drive={drive},bus=scsi0.0,scsi-id={disk.Index},id=disk-{disk.Vdev}",
            _ => $"virtio-blk-pci,drive={drive},id=disk-{disk.Vdev}",
        };
    }

    private static void AddNics(List<string> args, IReadOnlyList<VifConfig> vifs, IReadOnlyList<string> taps)
    {
        for (var i = 0; i < vifs.Count; i++)
        {
            var vif = vifs[i];
            var (device, backend) = NicIds(vif.Mac);
            args.AddRange(["-netdev", $"tap,id={backend},ifname={taps[i]},script=no,downscript=no"]);
            args.AddRange(["-device", $"{NicDevice(vif.Model)},netdev={backend},mac={vif.Mac},id={device}"]);
        }
    }

    /// <summary>
    /// The QEMU ids of a NIC and its tap backend, from its MAC (unique within a domain), so that they stay with the
    /// card when another is unplugged before it.
    /// </summary>
    public static (string Device, string Backend) NicIds(MacAddress mac)
    {
        var hex = mac.ToString().Replace(":", string.Empty, StringComparison.Ordinal);
        return ($"nic-{hex}", $"net-{hex}");
    }

    public static string NicDevice(NicModel model) => model switch
    {
        NicModel.Pcnet => "pcnet",
        NicModel.Ne2kPci => "ne2k_pci",
        NicModel.Rtl8139 => "rtl8139",
        NicModel.E1000 => "e1000",
        _ => "virtio-net-pci",
    };

    /// <summary>
    /// The first serial port, when it is <c>pty</c> (Xen's "so that xm console works"), is served on a socket
    /// that domusd attaches to, and everything the guest writes to it is also logged. Other targets pass as
    /// QEMU reads them.
    /// </summary>
    private static void AddSerialPorts(List<string> args, IReadOnlyList<string> serial, DomainPaths paths)
    {
        for (var i = 0; i < serial.Count; i++)
        {
            if (i == 0 && serial[0] == "pty")
            {
                args.AddRange(["-chardev", $"socket,id=console,path={QemuValue.Escape(paths.ConsoleSocket)},server=on,wait=off,logfile={QemuValue.Escape(paths.ConsoleLog)},logappend=on"]);
                args.AddRange(["-serial", "chardev:console"]);
            }
            else
            {
                args.AddRange(["-serial", SerialTarget(serial[i])]);
            }
        }
    }

    /// <summary>The socket flags of xm's era (<c>server,nowait</c>) in today's spelling.</summary>
    private static string SerialTarget(string target)
    {
        var parts = target.Split(',');
        return string.Join(',', parts.Select((part, i) => i == 0 ? part : part switch
        {
            "server" => "server=on",
            "nowait" => "wait=off",
            "nodelay" => "nodelay=on",
            _ => part,
        }));
    }

    /// <summary><c>videoram</c> as xl passes it; QEMU rounds the standard VGA's up to a power of two.</summary>
    private static void AddVideoMemory(List<string> args, DomainConfig config)
    {
        var mib = config.VideoramMib.ToString(CultureInfo.InvariantCulture);
        var half = Math.Max(1, config.VideoramMib / 2).ToString(CultureInfo.InvariantCulture);
        string[] globals = config.Vga switch
        {
            VgaKind.Stdvga => [$"VGA.vgamem_mb={mib}"],
            VgaKind.Cirrus => [$"cirrus-vga.vgamem_mb={mib}"],
            VgaKind.Qxl => [$"qxl-vga.ram_size_mb={half}", $"qxl-vga.vram_size_mb={half}"],
            _ => [],
        };
        foreach (var global in globals)
        {
            args.AddRange(["-global", global]);
        }
    }

    private static void AddDisplay(List<string> args, DomainConfig config, int domainId)
    {
        args.AddRange(["-vga", config.Vga switch
        {
            VgaKind.Stdvga => "std",
            VgaKind.Cirrus => "cirrus",
            VgaKind.Qxl => "qxl",
            _ => "none",
        }]);
        AddVideoMemory(args, config);
        args.AddRange(["-display", config.Sdl ? "sdl" : "none"]);
        var vnc = config.Vnc;
        if (!vnc.Enabled)
        {
            return;
        }

        var display = VncDisplay.Of(vnc, domainId);
        var option = $"{display.Host}:{display.Number}";
        if (display.SearchesForFree)
        {
            option += $",to={VncDisplay.LastSearched}";
        }

        if (vnc.PasswordSet)
        {
            option += ",password=on";
        }

        args.AddRange(["-vnc", option]);
        if (vnc.Keymap != "en-us")
        {
            args.AddRange(["-k", vnc.Keymap]);
        }
    }

    private static void AddUsb(List<string> args, DomainConfig config)
    {
        if (!config.Usb)
        {
            return;
        }

        args.AddRange(["-device", "piix3-usb-uhci,id=usb"]);
        foreach (var device in config.Usbdevice)
        {
            args.AddRange(["-device", device switch
            {
                "tablet" => "usb-tablet,bus=usb.0",
                "mouse" => "usb-mouse,bus=usb.0",
                "keyboard" => "usb-kbd,bus=usb.0",
                _ => UsbHostDevice(device["host:".Length..]),
            }]);
        }
    }

    private static string UsbHostDevice(string address)
    {
        var parts = address.Split(':', '.');
        return address.Contains(':')
            ? $"usb-host,bus=usb.0,vendorid=0x{parts[0]},productid=0x{parts[1]}"
            : $"usb-host,bus=usb.0,hostbus={parts[0]},hostaddr={parts[1]}";
    }

    private static void AddSound(List<string> args, IReadOnlyList<string> cards)
    {
        if (cards.Count == 0)
        {
            return;
        }

        args.AddRange(["-audiodev", "none,id=audio0"]);
        var expanded = cards.Contains("all") ? ["ac97", "es1370", "sb16", "hda"] : cards;
        foreach (var card in expanded.Distinct())
        {
            switch (card)
            {
                case "pcspk":
                    args.AddRange(["-machine", "pcspk-audiodev=audio0"]);
                    break;
                case "hda":
                    args.AddRange(["-device", "intel-hda,id=sound-hda", "-device", "hda-duplex,bus=sound-hda.0,audiodev=audio0"]);
                    break;
                default:
                    args.AddRange(["-device", $"{(card == "ac97" ? "AC97" : card == "es1370" ? "ES1370" : card)},audiodev=audio0"]);
                    break;
            }
        }
    }
}
