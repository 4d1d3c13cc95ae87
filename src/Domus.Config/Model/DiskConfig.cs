using System.Text.Json.Serialization;

namespace Domus.Config.Model;

/// <summary>
/// One disk or CD-ROM drive. <see cref="Target"/> is an absolute path, or null for an empty CD-ROM drive;
/// <see cref="Index"/> is the position on its bus (hda = 0 … hdd = 3).
/// </summary>
public sealed record DiskConfig
{
    public required string? Target { get; init; }

    public required DiskFormat Format { get; init; }

    public required string Vdev { get; init; }

    public required DiskAccess Access { get; init; }

    public required DiskDeviceType Devtype { get; init; }

    public required DiskBus Bus { get; init; }

    public required int Index { get; init; }

    /// <summary>Whether the drive never writes its image: read-only access, or a CD-ROM.</summary>
    [JsonIgnore]
    public bool IsReadOnly => Access == DiskAccess.ReadOnly || Devtype == DiskDeviceType.Cdrom;
}
