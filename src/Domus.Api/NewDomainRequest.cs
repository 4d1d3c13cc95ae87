namespace Domus.Api;

/// <summary>
/// What the new-domain wizard asks, field by field; domusd checks each, writes NAME.cfg into the managed
/// directory in the configuration language and, with <see cref="Start"/>, creates the domain from it. A field's
/// error comes back under its JSON name (<c>memory_mib</c>, <c>disk_size</c>, ...). Fields left out or null keep
/// the defaults below (settable, not init-only: the JSON source generator assigns every init-only property).
/// </summary>
public sealed record NewDomainRequest
{
    public required string Name { get; set => field = value ?? string.Empty; }

    /// <summary><c>linux</c>, <c>windows</c> or <c>other</c>: Windows keeps the clock in local time.</summary>
    public string Os { get; set => field = value ?? "linux"; } = "linux";

    /// <summary><c>full</c> (hardware virtualization); <c>para</c> is refused, with the reason.</summary>
    public string Mode { get; set => field = value ?? "full"; } = "full";

    public long MemoryMib { get; set; } = 512;

    public int Vcpus { get; set; } = 1;

    /// <summary><c>new</c> (an empty image made now), <c>existing</c> (<see cref="DiskPath"/>), or <c>none</c>.</summary>
    public string Disk { get; set => field = value ?? "new"; } = "new";

    /// <summary>An existing image: its name in the image directory, or its absolute path inside it.</summary>
    public string? DiskPath { get; set; }

    /// <summary>A new image's format, <c>raw</c> or <c>qcow2</c>; it is named NAME.img or NAME.qcow2.</summary>
    public string DiskFormat { get; set => field = value ?? "qcow2"; } = "qcow2";

    /// <summary>A new image's size with a unit, e.g. <c>8G</c>.</summary>
    public string? DiskSize { get; set; }

    /// <summary>A CD-ROM image (name in the image directory, or absolute path inside it); none for no CD-ROM drive.</summary>
    public string? Cdrom { get; set; }

    /// <summary>Boot order: <c>c</c> disk, <c>d</c> CD-ROM, <c>n</c> network.</summary>
    public string Boot { get; set => field = value ?? "c"; } = "c";

    /// <summary>The bridge of the network card; none for a domain without one.</summary>
    public string? Bridge { get; set; }

    public string NicModel { get; set => field = value ?? "e1000"; } = "e1000";

    public bool Vnc { get; set; } = true;

    public string? VncPassword { get; set; }

    /// <summary><c>qemu</c> or <c>native</c> (domus-dm).</summary>
    public string DeviceModel { get; set => field = value ?? "qemu"; } = "qemu";

    public bool Start { get; set; }
}
