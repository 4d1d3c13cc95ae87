using Microsoft.Win32.SafeHandles;

namespace Domus.Vmm.Backends.Disks;

/// <summary>
/// A raw image file. A writable image is locked exclusively, so two domains never write one disk; read-only
/// images (CD-ROMs, shared installation media) take a shared lock.
/// </summary>
public sealed class RawDiskImage : IDiskImage
{
    private readonly SafeFileHandle _file;

    private RawDiskImage(SafeFileHandle file, bool readOnly)
    {
        _file = file;
        IsReadOnly = readOnly;
        Length = RandomAccess.GetLength(file);
    }

    public long Length { get; }

    public bool IsReadOnly { get; }

    /// <exception cref="IOException">The file cannot be opened, or another process holds it.</exception>
    public static RawDiskImage Open(string path, bool readOnly)
    {
        var file = File.OpenHandle(path, FileMode.Open, readOnly ? FileAccess.Read : FileAccess.ReadWrite, readOnly ? FileShare.Read : FileShare.None);
        return new RawDiskImage(file, readOnly);
    }

    public void Read(long offset, Span<byte> destination) => FileRange.ReadOrZeros(_file, Length, offset, destination);

    public void Write(long offset, ReadOnlySpan<byte> source)
    {
        if (IsReadOnly)
        {
            throw new IOException("the image is read-only");
        }

        RandomAccess.Write(_file, source, offset);
    }

    public void Flush() => RandomAccess.FlushToDisk(_file);

    public void Dispose() => _file.Dispose();
}
