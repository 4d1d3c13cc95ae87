using Domus.Vmm.Backends.Disks;

namespace Domus.Vmm.Devices.Tests.Storage;

/// <summary>Raw image files in a temporary directory, removed with the fixture; and an image whose storage fails.</summary>
public sealed class TestImages : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("domus-ide-").FullName;

    /// <summary>An image whose byte at offset i is (i / 512 + i) mod 251: every sector differs, and so does every byte in it.</summary>
    public string Create(long length, int patternBytes = 1 << 20)
    {
        var path = Path.Combine(_directory, $"{Guid.NewGuid():N}.img");
        using var file = File.Create(path);
        file.SetLength(length);
        var pattern = Pattern(0, (int)Math.Min(length, patternBytes));
        file.Write(pattern);
        return path;
    }

    public static byte[] Pattern(long offset, int length)
    {
        var bytes = new byte[length];
        for (var i = 0; i < length; i++)
        {
            var at = offset + i;
            bytes[i] = (byte)(((at / 512) + at) % 251);
        }

        return bytes;
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}

/// <summary>An image on storage that has failed: every access is an I/O error.</summary>
public sealed class FailingImage(long length) : IDiskImage
{
    public long Length => length;

    public bool IsReadOnly => false;

    public void Read(long offset, Span<byte> destination) => throw new IOException("EIO");

    public void Write(long offset, ReadOnlySpan<byte> source) => throw new IOException("EIO");

    public void Flush() => throw new IOException("EIO");

    public void Dispose()
    {
    }
}
