using System.Text.RegularExpressions;

namespace Domus.Config.Normalization;

/// <summary>
/// The PC around the CPUs: <c>acpi</c>, <c>apic</c>, <c>pae</c>, the clock (<c>localtime</c>,
/// <c>rtc_timeoffset</c>), <c>serial</c> ports, <c>usb</c>/<c>usbdevice</c> and <c>soundhw</c>.
/// </summary>
public static partial class PlatformSection
{
    public const long MaxTimeOffsetSeconds = 100L * 366 * 24 * 3600;

    private static readonly HashSet<string> SoundCards = ["sb16", "es1370", "ac97", "hda", "adlib", "cs4231a", "gus", "pcspk", "all"];

    public static (bool Acpi, bool Apic, bool Pae, bool Localtime, long RtcTimeoffset, IReadOnlyList<string> Serial, bool Usb, IReadOnlyList<string> Usbdevice, IReadOnlyList<string> Soundhw) Read(SettingsReader reader)
    {
        var usbdevice = ReadUsbDevices(reader);
        var usb = reader.GetBool("usb") ?? false;
        if (!usb && usbdevice.Count > 0)
        {
            // A USB device needs the controller, so usb = 0 beside usbdevice has no effect.
            reader.Supersede("usb", "usbdevice");
        }

        return (
            reader.GetBool("acpi") ?? true,
            reader.GetBool("apic") ?? true,
            reader.GetBool("pae") ?? true,
            reader.GetBool("localtime") ?? false,
            reader.GetInteger("rtc_timeoffset", -MaxTimeOffsetSeconds, MaxTimeOffsetSeconds) ?? 0,
            ReadSerial(reader),
            usb || usbdevice.Count > 0,
            usbdevice,
            ReadSoundCards(reader));
    }

    private static List<string> ReadSerial(SettingsReader reader)
    {
        var ports = new List<string>();
        foreach (var entry in reader.GetStringList("serial") ?? [])
        {
            var target = entry.Value.Trim();
            if (target is "none" or "")
            {
                // The entries are COM1, COM2, … in order: 'none' leaves its port out, and later ones keep their places.
                ports.Add(SerialTarget.None);
                continue;
            }

            if (!SerialTarget.IsValid(target))
            {
                reader.Error("serial", entry, $"'{entry.Value}' is not a serial port target ({SerialTarget.Forms})");
                continue;
            }

            ports.Add(target);
        }

        while (ports is [.., SerialTarget.None])
        {
            ports.RemoveAt(ports.Count - 1);
        }

        if (ports.Count > SerialTarget.MaxPorts)
        {
            reader.Error("serial", reader.Get("serial")!, $"{ports.Count} serial ports; a PC has at most {SerialTarget.MaxPorts} (COM1 to COM4)");
        }

        return ports;
    }

    private static List<string> ReadUsbDevices(SettingsReader reader)
    {
        var devices = new List<string>();
        foreach (var entry in reader.GetStringList("usbdevice") ?? [])
        {
            if (entry.Value is "mouse" or "tablet" or "keyboard" || UsbHostDevice().IsMatch(entry.Value))
            {
                devices.Add(entry.Value);
            }
            else
            {
                reader.Error("usbdevice", entry, $"unknown USB device '{entry.Value}' (mouse, tablet, keyboard, host:VENDOR:PRODUCT, host:BUS.ADDRESS)");
            }
        }

        return devices;
    }

    private static List<string> ReadSoundCards(SettingsReader reader)
    {
        var cards = new List<string>();
        foreach (var entry in reader.GetStringList("soundhw") ?? [])
        {
            foreach (var card in entry.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (SoundCards.Contains(card))
                {
                    cards.Add(card);
                }
                else
                {
                    reader.Error("soundhw", entry, $"unknown sound card '{card}' ({string.Join(", ", SoundCards)})");
                }
            }
        }

        return cards;
    }

    [GeneratedRegex("^host:([0-9a-fA-F]{4}:[0-9a-fA-F]{4}|[0-9]{1,3}\\.[0-9]{1,3})$")]
    private static partial Regex UsbHostDevice();
}
