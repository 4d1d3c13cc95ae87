using Domus.Config.Model;

namespace Domus.Config.Normalization;

/// <summary>
/// The screen: <c>vnc</c> and its <c>vnclisten</c>, <c>vncdisplay</c>, <c>vncunused</c>, <c>vncpasswd</c>,
/// <c>vncviewer</c>/<c>vncconsole</c>, <c>keymap</c>; <c>sdl</c>; <c>nographic</c>; the card
/// (<c>vga</c>, or xm's <c>stdvga</c>) and <c>videoram</c>.
/// </summary>
public static class DisplaySection
{
    public const string DefaultListen = "127.0.0.1";
    public const string DefaultKeymap = "en-us";
    public const int VncPasswordLength = 8;
    public const int MaxVideoramMib = 256;

    /// <summary>The keyboard layouts QEMU ships (pc-bios/keymaps).</summary>
    public static readonly IReadOnlySet<string> Keymaps = new HashSet<string>(StringComparer.Ordinal)
    {
        "ar", "bepo", "cz", "da", "de", "de-ch", "en-gb", "en-us", "es", "et", "fi", "fo", "fr", "fr-be", "fr-ca",
        "fr-ch", "hr", "hu", "is", "it", "ja", "lt", "lv", "mk", "nl", "no", "pl", "pt", "pt-br", "ru", "sl", "sv", "th", "tr",
    };

    public static (VncConfig Vnc, bool Sdl, bool Nographic, VgaKind Vga, int VideoramMib) Read(SettingsReader reader)
    {
        var nographic = reader.GetBool("nographic") ?? false;
        if (nographic)
        {
            // QEMU's -nographic leaves no screen to show in a window or over VNC.
            reader.Supersede("sdl", "nographic");
            reader.Supersede("vnc", "nographic");
        }

        var sdl = !nographic && (reader.GetBool("sdl") ?? false);
        var vga = ReadVga(reader);
        var videoram = (int?)reader.GetInteger("videoram", 1, MaxVideoramMib) ?? vga switch
        {
            VgaKind.None => 0,
            VgaKind.Cirrus => 8,
            VgaKind.Qxl => 128,
            _ => 16,
        };
        if (vga == VgaKind.Cirrus && videoram is not (4 or 8 or 16))
        {
            reader.Error("videoram", reader.Get("videoram")!, $"the Cirrus card has 4, 8 or 16 MiB of video memory, not {videoram}");
        }

        return (ReadVnc(reader, nographic), sdl, nographic, vga, vga == VgaKind.None ? 0 : videoram);
    }

    private static VncConfig ReadVnc(SettingsReader reader, bool nographic)
    {
        var enabled = !nographic && (reader.GetBool("vnc") ?? true);
        var listen = DefaultListen;
        int? display = null;
        if (reader.GetString("vnclisten") is { } listenValue)
        {
            if (VncListen.TryParse(listenValue.Value, out var address, out var listenDisplay, out var problem))
            {
                listen = address;
                display = listenDisplay;
            }
            else
            {
                reader.Error("vnclisten", listenValue, problem);
            }
        }

        if (reader.GetInteger("vncdisplay", 0, VncListen.MaxDisplay) is { } vncdisplay)
        {
            if (display is { } fromListen && fromListen != vncdisplay)
            {
                reader.Error("vncdisplay", reader.Get("vncdisplay")!, $"display {vncdisplay} contradicts vnclisten's :{fromListen}");
            }

            display = (int)vncdisplay;
        }

        var password = reader.GetString("vncpasswd");
        if (password is { Value.Length: > VncPasswordLength })
        {
            reader.Diagnostics.Warning(password.Location, $"vncpasswd: VNC authentication uses only the first {VncPasswordLength} characters of the password");
        }

        var viewer = (reader.GetBool("vncviewer") ?? false) | (reader.GetBool("vncconsole") ?? false);
        return new VncConfig
        {
            Enabled = enabled,
            Listen = listen,
            Display = display,
            Unused = reader.GetBool("vncunused") ?? true,
            PasswordSet = password is { Value.Length: > 0 },
            Password = password is { Value.Length: > 0 } ? password.Value : null,
            Viewer = enabled && viewer,
            Keymap = ReadKeymap(reader),
        };
    }

    private static string ReadKeymap(SettingsReader reader)
    {
        if (reader.GetString("keymap") is not { } keymap)
        {
            return DefaultKeymap;
        }

        if (!Keymaps.Contains(keymap.Value))
        {
            reader.Error("keymap", keymap, $"unknown keyboard layout '{keymap.Value}' (one of: {string.Join(", ", Keymaps.Order(StringComparer.Ordinal))})");
            return DefaultKeymap;
        }

        return keymap.Value;
    }

    private static VgaKind ReadVga(SettingsReader reader)
    {
        if (reader.GetString("vga") is not { } vga)
        {
            return reader.GetBool("stdvga") == true ? VgaKind.Stdvga : VgaKind.Cirrus;
        }

        // As in xl: vga wins, and the deprecated stdvga beside it is not read (every xmexample sets stdvga = 0).
        reader.Supersede("stdvga", "vga");

        VgaKind? kind = vga.Value switch
        {
            "stdvga" or "std" => VgaKind.Stdvga,
            "cirrus" => VgaKind.Cirrus,
            "qxl" => VgaKind.Qxl,
            "none" => VgaKind.None,
            _ => null,
        };
        if (kind is null)
        {
            reader.Error("vga", vga, $"unknown card '{vga.Value}' (stdvga, cirrus, qxl, none)");
            return VgaKind.Cirrus;
        }

        return kind.Value;
    }
}
