namespace Domus.Config.Normalization;

/// <summary>
/// <c>boot</c>, the firmware (<c>firmware</c>, <c>bios</c>, and xm's <c>kernel</c> naming hvmloader), and
/// direct Linux boot (<c>kernel</c>, <c>ramdisk</c>, <c>cmdline</c>, or <c>root</c> + <c>extra</c>).
/// </summary>
public static class BootSection
{
    public const string DefaultBoot = "cd";
    public const string SeaBios = "seabios";
    public const string Ovmf = "ovmf";

    private static readonly HashSet<string> FirmwareLoaders = ["hvmloader", "vmxloader"];

    public static (string Boot, string Firmware, string? Kernel, string? Ramdisk, string? Cmdline) Read(SettingsReader reader)
    {
        var boot = ReadBoot(reader);
        string? kernel = null;
        var kernelIsLoader = false;
        if (reader.GetString("kernel") is { } kernelValue)
        {
            // Xen 3.0's HVM files named the firmware loader as the kernel; SeaBIOS, the default, plays its part here.
            kernelIsLoader = FirmwareLoaders.Contains(Path.GetFileName(kernelValue.Value));
            kernel = kernelIsLoader ? null : ConfigPaths.Resolve(reader, "kernel", kernelValue);
        }

        var firmware = ReadFirmware(reader, kernelIsLoader) ?? SeaBios;
        var ramdisk = reader.GetString("ramdisk") is { } ramdiskValue ? ConfigPaths.Resolve(reader, "ramdisk", ramdiskValue) : null;
        var cmdline = ReadCmdline(reader);
        var kernelFailed = reader.Has("kernel") && reader.Get("kernel") is null;
        if (kernel is null && !kernelFailed)
        {
            foreach (var key in new[] { "ramdisk", "cmdline", "root", "extra" })
            {
                if (reader.Get(key) is { } value)
                {
                    reader.Error(key, value, "only applies to direct Linux boot: give the kernel too");
                }
            }
        }

        return (boot, firmware, kernel, ramdisk, cmdline);
    }

    private static string ReadBoot(SettingsReader reader)
    {
        if (reader.GetString("boot") is not { } value)
        {
            return DefaultBoot;
        }

        var boot = value.Value.Trim();
        if (boot.Length == 0 || boot.Any(c => c is not ('a' or 'c' or 'd' or 'n')))
        {
            reader.Error("boot", value, $"'{value.Value}' is not a boot order: use the letters c (hard disk), d (CD-ROM), n (network), a (floppy)");
            return DefaultBoot;
        }

        if (boot.Distinct().Count() != boot.Length)
        {
            reader.Error("boot", value, $"'{boot}' names a device twice");
        }

        return boot;
    }

    /// <summary><c>firmware</c>, or else the older <c>bios</c>: the one given overrides the other, and a kernel naming Xen's loader.</summary>
    private static string? ReadFirmware(SettingsReader reader, bool kernelIsLoader)
    {
        var key = reader.Has("firmware") ? "firmware" : "bios";
        if (key == "firmware")
        {
            reader.Supersede("bios", "firmware");
        }

        if (reader.GetString(key) is not { } value)
        {
            return null;
        }

        if (kernelIsLoader)
        {
            reader.Supersede("kernel", key);
        }

        switch (value.Value)
        {
            case "bios" or "seabios" or "rombios":
                return SeaBios;
            case "uefi" or "ovmf":
                return Ovmf;
            case var path when key == "firmware" && path.Contains('/'):
                return ConfigPaths.Resolve(reader, key, value);
            default:
                reader.Error(key, value, $"unknown firmware '{value.Value}' (bios, seabios, uefi, ovmf{(key == "firmware" ? ", or the path of an image" : string.Empty)})");
                return null;
        }
    }

    private static string? ReadCmdline(SettingsReader reader)
    {
        var cmdline = reader.GetString("cmdline");
        var root = reader.GetString("root");
        var extra = reader.GetString("extra");
        if (cmdline is not null)
        {
            // xl: cmdline replaces root and extra.
            reader.Supersede("root", "cmdline");
            reader.Supersede("extra", "cmdline");
            return cmdline.Value;
        }

        if (root is null && extra is null)
        {
            return null;
        }

        var parts = new List<string>();
        if (root is not null)
        {
            parts.Add("root=" + root.Value);
        }

        if (extra is not null)
        {
            parts.Add(extra.Value);
        }

        return string.Join(' ', parts);
    }
}
