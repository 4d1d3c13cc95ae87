using System.Text.Json;
using Domus.Config.Model;

namespace Domus.Config.Json;

/// <summary>
/// Reads the JSON form of a domain that <see cref="DomainConfigJsonContext"/> writes, without the serializer:
/// System.Text.Json configures its generated metadata type by type on first use, which was a fifth of domus-dm's
/// start (bench/RESULTS.md, issue 4). Properties it does not know are ignored, as the serializer ignores them.
/// </summary>
public static class DomainConfigJsonReader
{
    /// <param name="json">The document.</param>
    /// <param name="source">Where it came from, for the error messages: a file's path, say.</param>
    /// <exception cref="JsonException">It is not JSON, or a property is missing or has the wrong type.</exception>
    public static DomainConfig Read(string json, string source)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new JsonException($"{source}: {e.Message}", e);
        }

        using (document)
        {
            return Domain(JsonObjectReader.Root(document, source));
        }
    }

    private static DomainConfig Domain(JsonObjectReader json) => new()
    {
        Name = json.String("name"),
        Uuid = json.Uuid("uuid"),
        Type = json.OptionalString("type") ?? DomainConfig.HvmType,
        MemoryMib = json.Int64("memory_mib"),
        MaxmemMib = json.Int64("maxmem_mib"),
        Vcpus = json.Int32("vcpus"),
        Maxvcpus = json.Int32("maxvcpus"),
        Cpus = json.Strings("cpus"),
        Boot = json.String("boot"),
        Firmware = json.String("firmware"),
        Kernel = json.NullableString("kernel"),
        Ramdisk = json.NullableString("ramdisk"),
        Cmdline = json.NullableString("cmdline"),
        Acpi = json.Boolean("acpi"),
        Apic = json.Boolean("apic"),
        Pae = json.Boolean("pae"),
        Localtime = json.Boolean("localtime"),
        RtcTimeoffset = json.Int64("rtc_timeoffset"),
        Disks = json.Objects("disks", Disk),
        Vifs = json.Objects("vifs", Vif),
        Serial = json.Strings("serial"),
        Vnc = Vnc(json.Object("vnc")),
        Sdl = json.Boolean("sdl"),
        Nographic = json.Boolean("nographic"),
        Vga = json.Enum<VgaKind>("vga"),
        VideoramMib = json.Int32("videoram_mib"),
        Usb = json.Boolean("usb"),
        Usbdevice = json.Strings("usbdevice"),
        Soundhw = json.Strings("soundhw"),
        OnPoweroff = json.Enum<LifecycleAction>("on_poweroff"),
        OnReboot = json.Enum<LifecycleAction>("on_reboot"),
        OnCrash = json.Enum<LifecycleAction>("on_crash"),
        DeviceModel = DeviceModel(json.Object("device_model")),
        Accel = json.Enum<Accelerator>("accel"),
    };

    private static DiskConfig Disk(JsonObjectReader json) => new()
    {
        Target = json.NullableString("target"),
        Format = json.Enum<DiskFormat>("format"),
        Vdev = json.String("vdev"),
        Access = json.Enum<DiskAccess>("access"),
        Devtype = json.Enum<DiskDeviceType>("devtype"),
        Bus = json.Enum<DiskBus>("bus"),
        Index = json.Int32("index"),
    };

    private static VifConfig Vif(JsonObjectReader json) => new()
    {
        Mac = json.Mac("mac"),
        MacGenerated = json.Boolean("mac_generated"),
        Bridge = json.String("bridge"),
        Model = json.Enum<NicModel>("model"),
        Type = json.Enum<NicType>("type"),
        Ip = json.OptionalStrings("ip") ?? [],
        Vifname = json.OptionalString("vifname"),
        Rate = json.OptionalObject("rate") is { } rate ? new RateLimit(rate.Int64("bytes_per_second"), rate.Int64("interval_microseconds")) : null,
        Script = json.OptionalString("script"),
    };

    private static VncConfig Vnc(JsonObjectReader json) => new()
    {
        Enabled = json.Boolean("enabled"),
        Listen = json.String("listen"),
        Display = json.NullableInt32("display"),
        Unused = json.Boolean("unused"),
        PasswordSet = json.Boolean("password_set"),
        Viewer = json.Boolean("viewer"),
        Keymap = json.String("keymap"),
    };

    private static DeviceModelConfig DeviceModel(JsonObjectReader json) =>
        new(json.Enum<DeviceModelKind>("kind"), json.NullableString("path"));
}
