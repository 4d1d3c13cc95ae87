using System.Text.RegularExpressions;
using Domus.Config.Model;

namespace Domus.Config.Specs;

/// <summary>
/// Reads one disk spec of xl-disk-configuration(5): positional <c>target, format, vdev, access</c>,
/// <c>key=value</c> items, bare flags, and the xend forms of Xen 3.0 (<c>file:</c>, <c>phy:</c>,
/// <c>tap:aio:</c>, <c>tap:qcow2:</c>, <c>ioemu:hda</c>, <c>hdc:cdrom</c>, the empty CD-ROM
/// <c>,hdc:cdrom,r</c>). Relative image paths are taken from <paramref name="baseDirectory"/>;
/// <c>phy:</c> names under /dev as xl does.
/// </summary>
public static partial class DiskSpecParser
{
    private static readonly HashSet<string> IgnoredPrefixes = ["file", "tap", "tap2", "tapdisk", "aio", "ioemu"];
    private static readonly HashSet<string> FormatNames = ["raw", "qcow", "qcow2", "vhd", "qed"];
    private static readonly HashSet<string> ScriptPrefixes = ["iscsi", "nbd", "enbd", "drbd"];
    private static readonly HashSet<string> IgnoredFlags = ["direct-io-safe", "discard", "no-discard", "trusted", "untrusted", "colo", "no-colo"];
    private static readonly HashSet<string> IgnoredParameters =
        ["backendtype", "specification", "grant_usage", "colo-host", "colo-port", "colo-export", "active-disk", "hidden-disk"];

    /// <summary>Parses <paramref name="spec"/>; returns null after reporting each problem to <paramref name="report"/>.</summary>
    public static DiskConfig? Parse(string spec, string baseDirectory, Action<string> report)
    {
        var state = new State(report);
        foreach (var rawItem in SplitItems(spec))
        {
            var item = rawItem.Trim();
            if (rawItem.TrimStart().StartsWith("target=", StringComparison.Ordinal))
            {
                state.Set(ref state.Target, "target", rawItem.TrimStart()["target=".Length..]);
            }
            else if (item.Contains('='))
            {
                Named(state, item);
            }
            else if (item == "cdrom")
            {
                state.Set(ref state.Devtype, "devtype", "cdrom");
            }
            else if (!IgnoredFlags.Contains(item))
            {
                Positional(state, item);
            }
        }

        return state.Failed ? null : Build(state, baseDirectory);
    }

    /// <summary>Splits at commas; a <c>target=</c> item takes the rest of the spec, commas included.</summary>
    private static IEnumerable<string> SplitItems(string spec)
    {
        var start = 0;
        while (start <= spec.Length)
        {
            if (spec.AsSpan(start).TrimStart().StartsWith("target=", StringComparison.Ordinal))
            {
                yield return spec[start..];
                yield break;
            }

            var comma = spec.IndexOf(',', start);
            if (comma < 0)
            {
                yield return spec[start..];
                yield break;
            }

            yield return spec[start..comma];
            start = comma + 1;
        }
    }

    private static void Named(State state, string item)
    {
        var equals = item.IndexOf('=');
        var key = item[..equals].Trim();
        var value = item[(equals + 1)..].Trim();
        switch (key)
        {
            case "format": state.Set(ref state.Format, key, value); break;
            case "vdev": state.Set(ref state.Vdev, key, value); break;
            case "access": state.Set(ref state.Access, key, value); break;
            case "devtype": state.Set(ref state.Devtype, key, value); break;
            case "backend" when value is "0" or "Domain-0" or "dom0": break;
            case "backend": state.Fail($"backend '{value}': Domus serves every disk from the host itself; driver domains do not exist here"); break;
            case "script": state.Fail($"script '{value}': block scripts are not supported; name the image file or block device directly"); break;
            case var _ when IgnoredParameters.Contains(key): break;
            default: state.Fail($"unknown parameter '{key}' (known: target, format, vdev, access, devtype, backend)"); break;
        }
    }

    private static void Positional(State state, string item)
    {
        if (state.Target is null)
        {
            state.Target = StripTargetPrefixes(state, item);
        }
        else if (state.Format is null && !state.FormatSlotPassed && FormatNames.Contains(item))
        {
            state.Format = item;
        }
        else if (state.Format is null && !state.FormatSlotPassed && item.Length == 0)
        {
            state.FormatSlotPassed = true;
        }
        else if (state.Vdev is null)
        {
            // The xend form "target,vdev,access" has no format slot: a value that is no format is the vdev.
            state.FormatSlotPassed = true;
            VdevAndDevtype(state, item);
        }
        else if (state.Access is null)
        {
            state.Access = item;
        }
        else
        {
            state.Fail($"too many positional values at '{item}' (the order is target, format, vdev, access)");
        }
    }

    private static string StripTargetPrefixes(State state, string item)
    {
        var target = item;
        while (PrefixPattern().Match(target) is { Success: true } match)
        {
            var prefix = match.Groups[1].Value;
            if (IgnoredPrefixes.Contains(prefix))
            {
                state.FormatSlotPassed |= prefix != "tap";
            }
            else if (prefix == "phy")
            {
                state.Physical = true;
                state.FormatSlotPassed = true;
            }
            else if (FormatNames.Contains(prefix))
            {
                state.Set(ref state.Format, "format", prefix);
                state.FormatSlotPassed = true;
            }
            else if (ScriptPrefixes.Contains(prefix))
            {
                state.Fail($"'{prefix}:' disks need a block script, which Domus does not run; attach the device and name its /dev path");
                return target;
            }
            else if (match.Length == target.Length || !char.IsAsciiLetterOrDigit(target[match.Length]))
            {
                state.Fail($"unknown disk prefix '{prefix}:' (known: file:, phy:, tap:aio:, tap:qcow2:, aio:, raw:, qcow2:)");
                return target;
            }
            else
            {
                // "name:more" is a file name with a colon in it, as xl reads it.
                return target;
            }

            target = target[match.Length..];
        }

        return target;
    }

    private static void VdevAndDevtype(State state, string item)
    {
        var vdev = item.StartsWith("ioemu:", StringComparison.Ordinal) ? item["ioemu:".Length..] : item;
        var colon = vdev.LastIndexOf(':');
        if (colon >= 0)
        {
            state.Set(ref state.Devtype, "devtype", vdev[(colon + 1)..]);
            vdev = vdev[..colon];
        }

        state.Vdev = vdev;
    }

    private static DiskConfig? Build(State state, string baseDirectory)
    {
        var devtype = state.Devtype switch
        {
            null or "disk" => DiskDeviceType.Disk,
            "cdrom" => DiskDeviceType.Cdrom,
            var other => state.FailWith<DiskDeviceType>($"unknown device type '{other}' (disk or cdrom)"),
        };
        var format = state.Format switch
        {
            null or "" or "raw" => DiskFormat.Raw,
            "qcow2" => DiskFormat.Qcow2,
            var other => state.FailWith<DiskFormat>(FormatNames.Contains(other)
                ? $"format '{other}' is not supported: Domus reads raw and qcow2 images (convert with 'qemu-img convert -O qcow2')"
                : $"unknown format '{other}' (raw or qcow2)"),
        };
        var access = state.Access switch
        {
            null or "" => devtype == DiskDeviceType.Cdrom ? DiskAccess.ReadOnly : DiskAccess.ReadWrite,
            "r" or "ro" => DiskAccess.ReadOnly,
            "w" or "rw" => DiskAccess.ReadWrite,
            "w!" => state.FailWith<DiskAccess>("access 'w!' (shared writing) is not supported: two domains writing one image corrupt it; use 'w' for one domain or 'r' for many"),
            var other => state.FailWith<DiskAccess>($"unknown access '{other}' (r, ro, w or rw)"),
        };
        if (devtype == DiskDeviceType.Cdrom && access == DiskAccess.ReadWrite)
        {
            state.Fail("a CD-ROM drive is read-only: give access 'r'");
        }

        var (bus, index) = VdevPosition(state, state.Vdev);
        if (devtype == DiskDeviceType.Cdrom && bus == DiskBus.Virtio)
        {
            state.Fail($"'{state.Vdev}' is a virtio disk, which cannot be a CD-ROM drive: use hdc or an sd name");
        }

        var target = ResolveTarget(state, baseDirectory, devtype);
        if (state.Failed)
        {
            return null;
        }

        return new DiskConfig
        {
            Target = target,
            Format = format,
            Vdev = state.Vdev!,
            Access = access,
            Devtype = devtype,
            Bus = bus,
            Index = index,
        };
    }

    private static (DiskBus Bus, int Index) VdevPosition(State state, string? vdev)
    {
        if (string.IsNullOrEmpty(vdev))
        {
            state.Fail("no vdev: say where the guest sees the disk, e.g. hda");
            return default;
        }

        var match = VdevPattern().Match(vdev);
        if (!match.Success)
        {
            state.Fail(PartitionPattern().IsMatch(vdev)
                ? $"vdev '{vdev}' names a partition: an HVM domain sees whole disks (hda, hdb, ...)"
                : $"unknown vdev '{vdev}' (hda-hdd and xvda-xvdd are IDE, sda-sdz SCSI, xvde-xvdz and vda-vdz virtio)");
            return default;
        }

        var kind = match.Groups[1].Value;
        var index = match.Groups[2].Value[0] - 'a';
        return kind switch
        {
            "hd" when index < 4 => (DiskBus.Ide, index),
            "hd" => Fail(state, $"vdev '{vdev}': IDE has four positions, hda to hdd"),
            "xvd" when index < 4 => (DiskBus.Ide, index),
            "xvd" => (DiskBus.Virtio, index),
            "sd" => (DiskBus.Scsi, index),
            _ => (DiskBus.Virtio, index),
        };
    }

    private static (DiskBus, int) Fail(State state, string message)
    {
        state.Fail(message);
        return default;
    }

    private static string? ResolveTarget(State state, string baseDirectory, DiskDeviceType devtype)
    {
        var target = state.Target;
        if (string.IsNullOrEmpty(target))
        {
            if (devtype != DiskDeviceType.Cdrom)
            {
                state.Fail("no target: name the image file or device (only a CD-ROM drive may be empty)");
            }

            return null;
        }

        if (target.Any(char.IsControl))
        {
            state.Fail("the target path contains a control character");
            return null;
        }

        if (Path.IsPathRooted(target))
        {
            return Path.GetFullPath(target);
        }

        return state.Physical ? Path.GetFullPath("/dev/" + target) : Path.GetFullPath(Path.Combine(baseDirectory, target));
    }

    [GeneratedRegex("^([a-z][a-z0-9]*):")]
    private static partial Regex PrefixPattern();

    [GeneratedRegex("^(hd|sd|xvd|vd)([a-z])$")]
    private static partial Regex VdevPattern();

    [GeneratedRegex("^(hd|sd|xvd|vd)[a-z]+[0-9]+$")]
    private static partial Regex PartitionPattern();

    private sealed class State(Action<string> report)
    {
        public string? Target;
        public string? Format;
        public string? Vdev;
        public string? Access;
        public string? Devtype;
        public bool Physical;
        public bool FormatSlotPassed;

        public bool Failed { get; private set; }

        public void Set(ref string? slot, string name, string value)
        {
            if (slot is not null)
            {
                Fail($"{name} is given twice");
                return;
            }

            slot = value;
        }

        public void Fail(string message)
        {
            Failed = true;
            report(message);
        }

        public T FailWith<T>(string message)
            where T : struct
        {
            Fail(message);
            return default;
        }
    }
}
