using Domus.Config.Diagnostics;
using Domus.Config.Evaluation;
using Domus.Config.Model;
using Domus.Config.Syntax;

namespace Domus.Config.Normalization;

/// <summary>Turns evaluated settings into a <see cref="DomainConfig"/>, one section of keys at a time.</summary>
public static class DomainConfigBuilder
{
    public static DomainConfig Build(EvaluatedConfig evaluated, SourceText file, IReadOnlyList<SourceText> sources, DiagnosticBag diagnostics, Func<Guid> newUuid)
    {
        var reader = new SettingsReader(evaluated, sources, diagnostics);
        var fileLocation = SourceLocation.Whole(file.Name);
        var (name, uuid) = IdentitySection.Read(reader, file.Name, fileLocation, newUuid);
        var resources = ResourceSection.Read(reader);
        var boot = BootSection.Read(reader);
        var platform = PlatformSection.Read(reader);
        var disks = StorageSection.Read(reader);
        var (vifs, unusedVifParameters) = NetworkSection.Read(reader, uuid);
        var display = DisplaySection.Read(reader);
        var lifecycle = LifecycleSection.Read(reader);
        var (deviceModel, accel) = DeviceModelSection.Read(reader);
        UnusedSettingsReport.Add(reader, unusedVifParameters, fileLocation);

        return new DomainConfig
        {
            Name = name,
            Uuid = uuid,
            MemoryMib = resources.MemoryMib,
            MaxmemMib = resources.MaxmemMib,
            Vcpus = resources.Vcpus,
            Maxvcpus = resources.Maxvcpus,
            Cpus = resources.Cpus,
            Boot = boot.Boot,
            Firmware = boot.Firmware,
            Kernel = boot.Kernel,
            Ramdisk = boot.Ramdisk,
            Cmdline = boot.Cmdline,
            Acpi = platform.Acpi,
            Apic = platform.Apic,
            Pae = platform.Pae,
            Localtime = platform.Localtime,
            RtcTimeoffset = platform.RtcTimeoffset,
            Serial = platform.Serial,
            Usb = platform.Usb,
            Usbdevice = platform.Usbdevice,
            Soundhw = platform.Soundhw,
            Disks = disks,
            Vifs = vifs,
            Vnc = display.Vnc,
            Sdl = display.Sdl,
            Nographic = display.Nographic,
            Vga = display.Vga,
            VideoramMib = display.VideoramMib,
            OnPoweroff = lifecycle.OnPoweroff,
            OnReboot = lifecycle.OnReboot,
            OnCrash = lifecycle.OnCrash,
            DeviceModel = deviceModel,
            Accel = accel,
        };
    }
}
