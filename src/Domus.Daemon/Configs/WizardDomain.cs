namespace Domus.Daemon.Configs;

/// <summary>The new-domain wizard's answers, checked and resolved to paths: what <see cref="WizardConfigText"/> writes.</summary>
public sealed record WizardDomain
{
    public required string Name { get; init; }

    public required Guid Uuid { get; init; }

    public required string Os { get; init; }

    public required long MemoryMib { get; init; }

    public required int Vcpus { get; init; }

    /// <summary>The disk image (hda), made now or existing; none for a domain without a disk.</summary>
    public required string? DiskPath { get; init; }

    public required string DiskFormat { get; init; }

    /// <summary>The CD-ROM image (hdc), read-only.</summary>
    public required string? CdromPath { get; init; }

    public required string Boot { get; init; }

    public required string? Bridge { get; init; }

    public required string NicModel { get; init; }

    public required bool Vnc { get; init; }

    public required string? VncPassword { get; init; }

    public required string DeviceModel { get; init; }
}
