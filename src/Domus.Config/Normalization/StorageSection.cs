using Domus.Config.Evaluation;
using Domus.Config.Model;
using Domus.Config.Specs;

namespace Domus.Config.Normalization;

/// <summary><c>disk</c> (xl and xend disk specs) and xm 3.0's <c>cdrom</c>, which attached an image as hdc.</summary>
public static class StorageSection
{
    public static IReadOnlyList<DiskConfig> Read(SettingsReader reader)
    {
        var disks = new List<(DiskConfig Disk, string Key, StringValue Source)>();
        foreach (var spec in reader.GetStringList("disk") ?? [])
        {
            var disk = DiskSpecParser.Parse(spec.Value, reader.BaseDirectoryOf(spec), message => reader.Error("disk", spec, $"'{spec.Value}': {message}"));
            if (disk is not null)
            {
                disks.Add((disk, "disk", spec));
            }
        }

        if (reader.GetString("cdrom") is { Value.Length: > 0 } cdrom && ConfigPaths.Resolve(reader, "cdrom", cdrom) is { } image)
        {
            disks.Add((new DiskConfig
            {
                Target = image,
                Format = DiskFormat.Raw,
                Vdev = "hdc",
                Access = DiskAccess.ReadOnly,
                Devtype = DiskDeviceType.Cdrom,
                Bus = DiskBus.Ide,
                Index = 2,
            }, "cdrom", cdrom));
        }

        ReportSharedPositions(reader, disks);
        return disks.Select(d => d.Disk).ToList();
    }

    private static void ReportSharedPositions(SettingsReader reader, List<(DiskConfig Disk, string Key, StringValue Source)> disks)
    {
        var taken = new Dictionary<(DiskBus, int), DiskConfig>();
        foreach (var (disk, key, source) in disks)
        {
            if (taken.TryGetValue((disk.Bus, disk.Index), out var first))
            {
                reader.Error(key, source, first.Vdev == disk.Vdev
                    ? $"{disk.Vdev} is used by two disks"
                    : $"{disk.Vdev} and {first.Vdev} are the same drive position");
            }
            else
            {
                taken[(disk.Bus, disk.Index)] = disk;
            }
        }
    }
}
