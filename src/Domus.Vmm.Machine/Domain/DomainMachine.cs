using Domus.Config.Model;
using Domus.Vmm.Backends.Disks;
using Domus.Vmm.Boot.Linux;
using Domus.Vmm.Devices.Storage;

namespace Domus.Vmm.Machine.Domain;

/// <summary>
/// A domain's PC, built from its normalized configuration: memory and vCPUs, the IDE disks and CD-ROMs on raw
/// images, COM1 as the console, the clock offset of <c>localtime</c> and <c>rtc_timeoffset</c>, and either SeaBIOS
/// with the domain's boot order or the configured kernel, initrd and command line. It owns the images it opened.
/// </summary>
public sealed class DomainMachine : IDisposable
{
    private readonly List<IDiskImage> _images;

    private DomainMachine(VirtualMachine machine, PcPlatform platform, List<IDiskImage> images)
    {
        Machine = machine;
        Platform = platform;
        _images = images;
    }

    public VirtualMachine Machine { get; }

    public PcPlatform Platform { get; }

    /// <exception cref="DomainMachineException">An image, kernel or firmware cannot be used, or KVM refuses the machine.</exception>
    public static DomainMachine Create(DomainMachineSetup setup)
    {
        var config = setup.Config;
        var images = new List<IDiskImage>();
        VirtualMachine? machine = null;
        try
        {
            var drives = OpenDrives(config, images);
            machine = new VirtualMachine(new MachineOptions((ulong)config.MemoryMib << 20, config.Vcpus));
            var now = setup.Clock.GetUtcNow();
            var peripherals = new PcPeripherals(
                config.Serial.Count > 0 && config.Serial[0] == "pty" ? setup.Console : DiscardingBackend.Instance,
                DiscardingBackend.Instance,
                setup.FirmwareLog,
                setup.Clock)
            {
                ClockOffset = (config.Localtime ? TimeZoneInfo.Local.GetUtcOffset(now) : TimeSpan.Zero) + TimeSpan.FromSeconds(config.RtcTimeoffset),
                IdeDrives = drives,
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
                    SerialConsolePort = PlatformLayout.Com1Port,
                    BootOrder = config.Boot,
                });
            return new DomainMachine(machine, platform, images);
        }
        catch (Exception e)
        {
            machine?.Dispose();
            images.ForEach(i => i.Dispose());
            if (e is IOException or UnauthorizedAccessException or KernelImageException)
            {
                throw new DomainMachineException(e.Message, e);
            }

            throw;
        }
    }

    private static AtaDevice?[] OpenDrives(DomainConfig config, List<IDiskImage> images)
    {
        var drives = new AtaDevice?[4];
        foreach (var disk in config.Disks)
        {
            if (disk.Bus != DiskBus.Ide || disk.Index is < 0 or > 3)
            {
                throw new DomainMachineException($"disk {disk.Vdev}: domus-dm has IDE drives only (hda to hdd)");
            }

            if (disk.Format != DiskFormat.Raw)
            {
                throw new DomainMachineException($"disk {disk.Vdev}: domus-dm reads raw images only; {disk.Target} is {disk.Format.ToString().ToLowerInvariant()}");
            }

            var serial = $"DM{config.Uuid.ToString("N")[..8].ToUpperInvariant()}{disk.Index}";
            IDiskImage? image = null;
            if (disk.Target is { } target)
            {
                try
                {
                    image = RawDiskImage.Open(target, readOnly: disk.Access == DiskAccess.ReadOnly || disk.Devtype == DiskDeviceType.Cdrom);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new DomainMachineException($"disk {disk.Vdev}: cannot open {target}: {e.Message}", e);
                }

                images.Add(image);
            }

            drives[disk.Index] = disk.Devtype == DiskDeviceType.Cdrom
                ? new AtapiCdrom(image, serial)
                : new AtaDisk(image ?? throw new DomainMachineException($"disk {disk.Vdev}: a hard disk needs an image"), serial);
        }

        return drives;
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
        _images.ForEach(i => i.Dispose());
    }
}
