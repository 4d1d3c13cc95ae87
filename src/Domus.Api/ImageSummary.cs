namespace Domus.Api;

/// <summary>A disk image in the image directory, with the domains whose disks it is.</summary>
public sealed record ImageSummary
{
    public required string Name { get; init; }

    public required string Path { get; init; }

    /// <summary><c>qcow2</c> when the file starts with qcow2's magic, otherwise <c>raw</c>.</summary>
    public required string Format { get; init; }

    /// <summary>The size the guest sees.</summary>
    public required long SizeBytes { get; init; }

    /// <summary>The file's length: a qcow2 file grows as the guest writes; a raw one is sparse and takes less than this.</summary>
    public required long FileBytes { get; init; }

    public required IReadOnlyList<string> UsedBy { get; init; }
}
