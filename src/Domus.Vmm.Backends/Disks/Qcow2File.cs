using Microsoft.Win32.SafeHandles;

namespace Domus.Vmm.Backends.Disks;

/// <summary>
/// The host file under a qcow2 image, with the length it has as far as this process wrote it: metadata must lie
/// wholly inside it (an offset beyond is a damaged or hostile image), data clusters may end past it (QEMU reads the
/// missing tail as zeros).
/// </summary>
internal sealed class Qcow2File(SafeFileHandle handle) : IDisposable
{
    public long Length { get; private set; } = RandomAccess.GetLength(handle);

    /// <exception cref="IOException">The range is not wholly inside the file.</exception>
    public void ReadMetadata(long offset, Span<byte> destination, string what)
    {
        if (offset < 0 || offset > Length - destination.Length)
        {
            throw new IOException($"qcow2: the {what} at offset {offset} ({destination.Length} bytes) lies beyond the end of the file ({Length} bytes)");
        }

        ReadData(offset, destination);
    }

    /// <summary>Reads what the file holds, and zeros past its end.</summary>
    public void ReadData(long offset, Span<byte> destination) => FileRange.ReadOrZeros(handle, Length, offset, destination);

    public void Write(long offset, ReadOnlySpan<byte> source)
    {
        RandomAccess.Write(handle, source, offset);
        Length = Math.Max(Length, offset + source.Length);
    }

    /// <summary>Makes everything written so far durable: the barrier between a structure and what points to it.</summary>
    public void Sync() => RandomAccess.FlushToDisk(handle);

    public void Dispose() => handle.Dispose();
}
