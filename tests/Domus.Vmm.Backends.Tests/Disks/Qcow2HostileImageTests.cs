using System.Buffers.Binary;
using Domus.Vmm.Backends.Disks;

namespace Domus.Vmm.Backends.Tests.Disks;

/// <summary>
/// Images damaged by hand (or made hostile): a header or table whose value is out of range, or points past the file
/// or into the header and tables, and features domus-dm does not honour, are an IOException that names the problem,
/// at open or at the access, in bounded time.
/// </summary>
public sealed class Qcow2HostileImageTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);
    private const ulong OffsetMask = 0x00FF_FFFF_FFFF_FE00;
    private const ulong Copied = 1UL << 63;
    private const ulong Compressed = 1UL << 62;
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("domus-qcow2-hostile-");

    public void Dispose() => _directory.Delete(recursive: true);

    private string Image(string name = "disk.qcow2") => Path.Combine(_directory.FullName, name);

    /// <summary>A 16 MiB version 3 image with 64 KiB clusters and the first 128 KiB written.</summary>
    private async Task<string> WrittenImageAsync()
    {
        QemuImages.Require();
        var path = Image();
        await QemuImages.CreateAsync(path, 16 << 20);
        await QemuImages.IoAsync(path, "write -P 0xab 0 128k");
        return path;
    }

    private static void Patch(string path, long offset, ReadOnlySpan<byte> bytes)
    {
        using var file = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite);
        RandomAccess.Write(file, bytes, offset);
    }

    private static void Patch64(string path, long offset, ulong value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, value);
        Patch(path, offset, bytes);
    }

    private static void Patch32(string path, long offset, uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        Patch(path, offset, bytes);
    }

    private static ulong Read64(string path, long offset) => BinaryPrimitives.ReadUInt64BigEndian(File.ReadAllBytes(path).AsSpan((int)offset));

    /// <summary>The IOException <paramref name="action"/> ends in, within the deadline.</summary>
    private static async Task<IOException> RefusedAsync(Action action) =>
        await Task.Run(() => Assert.Throws<IOException>(action)).WaitAsync(Deadline);

    private static void ReadFirstCluster(string path)
    {
        using var image = Qcow2DiskImage.Open(path, readOnly: true);
        image.Read(0, new byte[65536]);
    }

    [Theory]
    [InlineData(0, 4, 0x514649FAUL, "does not start with a qcow2 header")]
    [InlineData(4, 4, 4UL, "version 4 is not supported")]
    [InlineData(20, 4, 30UL, "cluster_bits 30 is out of range")]
    [InlineData(24, 8, 1UL << 62, "L1 entries, and the L1 table has 1")]
    [InlineData(36, 4, 0x7FFF_FFFFUL, "the L1 table has 2147483647 entries")]
    [InlineData(36, 4, 0UL, "needs 1 L1 entries, and the L1 table has 0")]
    [InlineData(40, 8, 1UL << 40, "the L1 table (offset 1099511627776, 8 bytes) lies beyond the end of the file")]
    [InlineData(48, 8, 0UL, "the refcount table's offset 0 is not a cluster boundary")]
    [InlineData(56, 4, 1_000_000UL, "the refcount table has 1000000 clusters")]
    [InlineData(72, 8, 1UL << 10, "unknown incompatible feature bits 10")]
    [InlineData(72, 8, 2UL, "QEMU marked the image corrupt")]
    [InlineData(72, 8, 1UL << 4, "extended L2 entries")]
    [InlineData(32, 4, 1UL, "the image is encrypted")]
    [InlineData(96, 4, 7UL, "refcount_order 7 is out of range")]
    public async Task AHeaderOutOfRangeIsRefusedAtOpen(int offset, int width, ulong value, string problem)
    {
        var path = await WrittenImageAsync();
        if (width == 8)
        {
            Patch64(path, offset, value);
        }
        else
        {
            Patch32(path, offset, (uint)value);
        }

        var error = await RefusedAsync(() => Qcow2DiskImage.Open(path, readOnly: false).Dispose());
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        // What is no qcow2 image at all is the host's checks' to report (format = qcow2 on another file).
        Assert.Equal(offset == 0 ? null : error.Message, Qcow2DiskImage.Problem(path, readOnly: true));
    }

    [Fact]
    public async Task ADirtyImageIsReadButNotWritten()
    {
        var path = await WrittenImageAsync();
        Patch64(path, 72, 1);
        var error = await RefusedAsync(() => Qcow2DiskImage.Open(path, readOnly: false).Dispose());
        Assert.Contains("marked dirty", error.Message, StringComparison.Ordinal);
        Assert.Contains("qemu-img check -r all", error.Message, StringComparison.Ordinal);
        Assert.Equal(error.Message, Qcow2DiskImage.Problem(path, readOnly: false));
        Assert.Null(Qcow2DiskImage.Problem(path, readOnly: true));
        using var image = Qcow2DiskImage.Open(path, readOnly: true);
        var data = new byte[16];
        image.Read(0, data);
        Assert.All(data, b => Assert.Equal(0xAB, b));
    }

    [Fact]
    public async Task AnImageWithInternalSnapshotsIsReadButNotWritten()
    {
        var path = await WrittenImageAsync();
        await QemuImages.RunAsync("qemu-img", "snapshot", "-c", "before", path);
        var error = await RefusedAsync(() => Qcow2DiskImage.Open(path, readOnly: false).Dispose());
        Assert.Contains("the image has 1 internal snapshots", error.Message, StringComparison.Ordinal);
        using var image = Qcow2DiskImage.Open(path, readOnly: true);
        var data = new byte[16];
        image.Read(65536, data);
        Assert.All(data, b => Assert.Equal(0xAB, b));
    }

    [Fact]
    public async Task EncryptedImagesAndImagesWithABackingFileAreRefused()
    {
        QemuImages.Require();
        var encrypted = Image("luks.qcow2");
        await QemuImages.CreateEncryptedAsync(encrypted, 1 << 20);
        Assert.Contains("the image is encrypted", (await RefusedAsync(() => Qcow2DiskImage.Open(encrypted, readOnly: true))).Message, StringComparison.Ordinal);

        var backing = Image("base.raw");
        await File.WriteAllBytesAsync(backing, new byte[1 << 20]);
        var overlay = Image("overlay.qcow2");
        await QemuImages.RunAsync("qemu-img", "create", "-q", "-f", "qcow2", "-b", backing, "-F", "raw", overlay);
        Assert.Contains("names a backing file", (await RefusedAsync(() => Qcow2DiskImage.Open(overlay, readOnly: true))).Message, StringComparison.Ordinal);
        Assert.Contains("names a backing file", Qcow2DiskImage.Problem(overlay, readOnly: true), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TablesThatPointIntoTheHeaderOrPastTheFileAreRefusedOnAccess()
    {
        var path = await WrittenImageAsync();
        var original = await File.ReadAllBytesAsync(path);
        var l1 = (long)Read64(path, 40);
        var refcountTable = Read64(path, 48);
        var l2 = (long)(Read64(path, l1) & OffsetMask);
        (long Offset, ulong Value, string Problem)[] damages =
        [
            (l1, (1UL << 40) | Copied, "the L2 table of L1 entry 0 at offset 1099511627776 lies beyond the end of the file"),
            (l1, refcountTable | Copied, "the L2 table of L1 entry 0 at offset 65536 lies in the image's header, L1 table or refcount table"),
            (l1, (ulong)l2 | 0x100 | Copied, "L1 entry 0 ("),
            (l2, Copied | 65536, "the data cluster of guest offset 0 at offset 65536 lies in the image's header"),
            (l2, (1UL << 40) | Copied, "the data cluster of guest offset 0 at offset 1099511627776 lies beyond the end of the file"),
            (l2, ((ulong)l2 + 4096) | Copied, "is not on a cluster boundary"),
            (l2, (1UL << 57) | Copied, "has reserved bits set"),
        ];
        foreach (var (offset, value, problem) in damages)
        {
            await File.WriteAllBytesAsync(path, original);
            Patch64(path, offset, value);
            var error = await RefusedAsync(() => ReadFirstCluster(path));
            Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task DamagedCompressedDataIsAnIOException()
    {
        QemuImages.Require();
        var source = Image("source.raw");
        await File.WriteAllBytesAsync(source, [.. Enumerable.Range(0, 1 << 20).Select(i => (byte)(i / 1000))]);
        var path = Image();
        await QemuImages.RunAsync("qemu-img", "convert", "-c", "-f", "raw", "-O", "qcow2", source, path);
        var l2 = (long)(Read64(path, (long)Read64(path, 40)) & OffsetMask);
        var entry = Read64(path, l2);
        Assert.NotEqual(0UL, entry & Compressed);
        Patch(path, (long)(entry & ((1UL << 54) - 1)), [.. Enumerable.Repeat((byte)0xFF, 64)]);
        var error = await RefusedAsync(() => ReadFirstCluster(path));
        Assert.Contains("the compressed cluster at offset", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefcountsThatCountEveryClusterUsedEndTheSearchForAFreeOne()
    {
        QemuImages.Require();
        var path = Image();
        await QemuImages.CreateAsync(path, 4 << 20, "cluster_size=512");
        var table = (long)Read64(path, 48);
        var block = Read64(path, table);
        Patch(path, (long)block, [.. Enumerable.Repeat((byte)0xFF, 512)]);
        for (var i = 0; i < 64; i++)
        {
            Patch64(path, table + (i * 8), block);
        }

        using var image = Qcow2DiskImage.Open(path, readOnly: false);
        var error = await RefusedAsync(() => image.Write(0, new byte[512]));
        Assert.Contains("no cluster is free", error.Message, StringComparison.Ordinal);
    }
}
