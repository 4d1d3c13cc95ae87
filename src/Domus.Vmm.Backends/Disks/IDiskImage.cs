namespace Domus.Vmm.Backends.Disks;

/// <summary>
/// A disk image as an emulated drive sees it: bytes at offsets, read beyond the end as zeros. Failures of the
/// host's storage are <see cref="IOException"/>s, which a drive reports to the guest as media errors.
/// </summary>
public interface IDiskImage : IDisposable
{
    /// <summary>Size in bytes, as the guest sees it.</summary>
    long Length { get; }

    bool IsReadOnly { get; }

    void Read(long offset, Span<byte> destination);

    void Write(long offset, ReadOnlySpan<byte> source);

    /// <summary>Makes written data durable (the guest's FLUSH CACHE).</summary>
    void Flush();
}
