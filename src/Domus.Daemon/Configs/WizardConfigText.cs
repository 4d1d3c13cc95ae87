using System.Globalization;
using System.Text;

namespace Domus.Daemon.Configs;

/// <summary>
/// A wizard's domain as a configuration file in the xl language, as a person would write it: one key a line, every
/// string quoted by <see cref="XlText"/>. The serial console is always there (the web manager's terminal uses it).
/// </summary>
public static class WizardConfigText
{
    public static string Write(WizardDomain domain, string who, DateTimeOffset now)
    {
        var text = new StringBuilder();
        void Line(string key, string value) => text.Append(key).Append(" = ").Append(value).Append('\n');
        string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

        text.Append(CultureInfo.InvariantCulture, $"# Written by the Domus web manager's new-domain wizard for {who.Replace('\n', ' ')}, {now:yyyy-MM-dd HH:mm} UTC.\n");
        Line("name", XlText.Quote(domain.Name));
        Line("uuid", XlText.Quote(domain.Uuid.ToString()));
        Line("type", XlText.Quote("hvm"));
        Line("memory", Number(domain.MemoryMib));
        Line("vcpus", Number(domain.Vcpus));
        // Old systems of no known kind may trip over ACPI tables, as Xen 3.0.2's default assumed; Windows keeps the clock in local time.
        Line("acpi", domain.Os == "other" ? "0" : "1");
        if (domain.Os == "windows")
        {
            Line("localtime", "1");
        }

        var disks = new List<string>();
        if (domain.DiskPath is { } disk)
        {
            disks.Add($"format={domain.DiskFormat},vdev=hda,access=rw,target={disk}");
        }

        if (domain.CdromPath is { } cdrom)
        {
            disks.Add($"format=raw,vdev=hdc,access=ro,devtype=cdrom,target={cdrom}");
        }

        Line("disk", XlText.List(disks));
        Line("boot", XlText.Quote(domain.Boot));
        Line("vif", XlText.List(domain.Bridge is { } bridge ? [$"bridge={bridge},model={domain.NicModel}"] : []));
        Line("vnc", domain.Vnc ? "1" : "0");
        if (domain.Vnc)
        {
            Line("vncunused", "1");
            if (domain.VncPassword is { } password)
            {
                Line("vncpasswd", XlText.Quote(password));
            }
        }

        Line("serial", XlText.Quote("pty"));
        Line("device_model_version", XlText.Quote(domain.DeviceModel));
        Line("on_poweroff", XlText.Quote("destroy"));
        Line("on_reboot", XlText.Quote("restart"));
        Line("on_crash", XlText.Quote("destroy"));
        return text.ToString();
    }
}
