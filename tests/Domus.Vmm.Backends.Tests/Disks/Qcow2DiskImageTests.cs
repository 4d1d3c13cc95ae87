using System.Buffers.Binary;
using Domus.Vmm.Backends.Disks;

namespace Domus.Vmm.Backends.Tests.Disks;

/// <summary>
/// Qcow2DiskImage against QEMU's own tools: it reads what qemu-io wrote into images qemu-img made (both versions,
/// several cluster and refcount sizes, zero and compressed clusters), and what it writes reads back through
/// qemu-img convert and compare, with qemu-img check finding no error and no leak.
/// </summary>
public sealed class Qcow2DiskImageTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("domus-qcow2-");

    public void Dispose() => _directory.Delete(recursive: true);

    private string Image(string name = "disk.qcow2") => Path.Combine(_directory.FullName, name);

    /// <summary>Reads the whole disk through the image in pieces of uneven sizes, and a bit past its end.</summary>
    private static byte[] ReadAll(IDiskImage image, int seed)
    {
        var random = new Random(seed);
        var data = new byte[image.Length + 1000];
        for (var offset = 0; offset < data.Length;)
        {
            var length = Math.Min(data.Length - offset, random.Next(1, 200_000));
            image.Read(offset, data.AsSpan(offset, length));
            offset += length;
        }

        Assert.All(data[(int)image.Length..], b => Assert.Equal(0, b));
        return data[..(int)image.Length];
    }

    private static void AssertSame(byte[] expected, byte[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        var first = actual.AsSpan().CommonPrefixLength(expected);
        Assert.True(first == expected.Length, $"byte {first} reads {(first < actual.Length ? actual[first] : 0):x2}, expected {(first < expected.Length ? expected[first] : 0):x2}");
    }

    [Theory]
    [InlineData("0.10", 65536, 16)]
    [InlineData("1.1", 512, 1)]
    [InlineData("1.1", 65536, 16)]
    [InlineData("1.1", 2 << 20, 64)]
    public async Task ReadsWhatQemuIoWrote(string compat, int clusterSize, int refcountBits)
    {
        QemuImages.Require();
        const int size = 8 << 20;
        var path = Image();
        await QemuImages.CreateAsync(path, size, $"compat={compat}", $"cluster_size={clusterSize}", $"refcount_bits={refcountBits}");
        var expected = new byte[size];
        (int Offset, int Length, byte Pattern)[] writes = [(0, 65536, 0xAB), (100_352, 3000, 0x5C), (3 << 20, 1 << 20, 0x11), ((7 << 20) + 512, 512, 0xEE)];
        foreach (var (offset, length, pattern) in writes)
        {
            expected.AsSpan(offset, length).Fill(pattern);
        }

        List<string> commands = [.. writes.Select(w => $"write -P 0x{w.Pattern:x2} {w.Offset} {w.Length}")];
        if (compat == "1.1")
        {
            // Zero clusters: one keeps its host cluster, one gives it back.
            const int zeroAt = 6 << 20;
            commands.AddRange([$"write -z {3 << 20} {clusterSize}", $"write -z -u {zeroAt} {clusterSize}"]);
            expected.AsSpan(3 << 20, clusterSize).Clear();
            expected.AsSpan(zeroAt, clusterSize).Clear();
        }

        await QemuImages.IoAsync(path, [.. commands]);
        using var image = Qcow2DiskImage.Open(path, readOnly: true);
        Assert.Equal(size, image.Length);
        AssertSame(expected, ReadAll(image, seed: clusterSize));
    }

    [Theory]
    [InlineData("0.10", 65536, 16, 16 << 20)]
    [InlineData("1.1", 512, 16, 4 << 20)]
    [InlineData("1.1", 4096, 1, 8 << 20)]
    [InlineData("1.1", 65536, 64, 24 << 20)]
    [InlineData("1.1", 2 << 20, 8, 24 << 20)]
    public async Task RandomWritesReadBackThroughQemuAndCheckClean(string compat, int clusterSize, int refcountBits, int size)
    {
        QemuImages.Require();
        var path = Image();
        await QemuImages.CreateAsync(path, size, $"compat={compat}", $"cluster_size={clusterSize}", $"refcount_bits={refcountBits}");
        var expected = new byte[size];
        var random = new Random(clusterSize ^ size);
        using (var image = Qcow2DiskImage.Open(path, readOnly: false))
        {
            for (var i = 0; i < 150; i++)
            {
                // Unaligned, within a cluster or across several, and now and then across an L2 table's reach.
                var length = random.Next(4) == 0 ? random.Next(1, 3 * clusterSize) : random.Next(1, 70_000);
                var offset = random.Next(0, size - length);
                var data = new byte[length];
                random.NextBytes(data);
                image.Write(offset, data);
                data.CopyTo(expected, offset);
                if (i % 50 == 49)
                {
                    image.Flush();
                    AssertSame(expected, ReadAll(image, seed: i));
                }
            }
        }

        await QemuImages.AssertCleanAsync(path);
        await QemuImages.AssertContentAsync(path, expected);
    }

    [Theory]
    [InlineData(16, 1 << 20)]
    [InlineData(64, 3 << 20)]
    public async Task TheRefcountsGrowNewBlocksAndANewTable(int refcountBits, int written)
    {
        QemuImages.Require();
        // With 512-byte clusters a refcount block counts 4096 / refcount_bits clusters, and the first table's 64 entries
        // reach 64 such blocks: 128 KiB of file per block at 16 bits, 2 MiB in all at 64.
        var path = Image();
        const int size = 8 << 20;
        await QemuImages.CreateAsync(path, size, $"cluster_size=512", $"refcount_bits={refcountBits}");
        var tableClusters = TableClusters(path);
        var expected = new byte[size];
        var random = new Random(refcountBits);
        using (var image = Qcow2DiskImage.Open(path, readOnly: false))
        {
            for (var offset = 0; offset < written; offset += 65536)
            {
                var data = new byte[65536];
                random.NextBytes(data);
                image.Write(offset, data);
                data.CopyTo(expected, offset);
            }
        }

        Assert.True(new FileInfo(path).Length > written);
        if (refcountBits == 64)
        {
            Assert.True(TableClusters(path) > tableClusters, $"the refcount table still has {TableClusters(path)} clusters");
        }

        await QemuImages.AssertCleanAsync(path);
        await QemuImages.AssertContentAsync(path, expected);

        static uint TableClusters(string path) => BinaryPrimitives.ReadUInt32BigEndian(File.ReadAllBytes(path).AsSpan(56));
    }

    [Fact]
    public async Task CompressedClustersReadAndTakeWrites()
    {
        QemuImages.Require();
        const int size = 4 << 20;
        var source = Image("source.raw");
        var expected = new byte[size];
        var random = new Random(7);
        for (var offset = 0; offset < size; offset += 4096)
        {
            // Text-like runs that deflate well, some random sectors, and holes.
            if (offset % (1 << 20) < 3 << 18)
            {
                expected.AsSpan(offset, 4096).Fill((byte)('a' + (offset / 4096 % 26)));
                random.NextBytes(expected.AsSpan(offset + (offset % 3000), 37));
            }
        }

        await File.WriteAllBytesAsync(source, expected);
        var path = Image();
        await QemuImages.RunAsync("qemu-img", "convert", "-c", "-f", "raw", "-O", "qcow2", source, path);
        Assert.True(new FileInfo(path).Length < size / 8, "qemu-img did not compress");
        using (var image = Qcow2DiskImage.Open(path, readOnly: true))
        {
            AssertSame(expected, ReadAll(image, seed: 1));
        }

        using (var image = Qcow2DiskImage.Open(path, readOnly: false))
        {
            // Into one compressed cluster, over a whole one, and across two.
            byte[][] writes = [[.. Enumerable.Repeat((byte)0x42, 100)], new byte[65536], [.. Enumerable.Repeat((byte)0x99, 70_000)]];
            long[] offsets = [1000, 65536 * 3, (65536 * 5) + 30_000];
            random.NextBytes(writes[1]);
            for (var i = 0; i < writes.Length; i++)
            {
                image.Write(offsets[i], writes[i]);
                writes[i].CopyTo(expected, offsets[i]);
            }

            AssertSame(expected, ReadAll(image, seed: 2));
        }

        await QemuImages.AssertCleanAsync(path);
        await QemuImages.AssertContentAsync(path, expected);
    }

    [Fact]
    public async Task ZeroClustersReadAsZerosAndTakeWrites()
    {
        QemuImages.Require();
        const int size = 1 << 20;
        var path = Image();
        await QemuImages.CreateAsync(path, size);
        await QemuImages.IoAsync(path, "write -P 0x77 0 256k", "write -z 0 64k", "write -z -u 64k 64k");
        var expected = new byte[size];
        expected.AsSpan(128 << 10, 128 << 10).Fill(0x77);
        using (var image = Qcow2DiskImage.Open(path, readOnly: false))
        {
            AssertSame(expected, ReadAll(image, seed: 3));
            image.Write(100, [1, 2, 3]);
            image.Write(70_000, [4, 5]);
            ((byte[])[1, 2, 3]).CopyTo(expected, 100);
            ((byte[])[4, 5]).CopyTo(expected, 70_000);
        }

        await QemuImages.AssertCleanAsync(path);
        await QemuImages.AssertContentAsync(path, expected);
    }

    [Fact]
    public async Task AReadOnlyImageIsSharedAndRefusesWritesAndAWritableOneIsExclusive()
    {
        QemuImages.Require();
        var path = Image();
        await QemuImages.CreateAsync(path, 1 << 20);
        using (var first = Qcow2DiskImage.Open(path, readOnly: true))
        using (var second = Qcow2DiskImage.Open(path, readOnly: true))
        {
            Assert.True(first.IsReadOnly);
            Assert.Throws<IOException>(() => first.Write(0, [1]));
            Assert.Throws<IOException>(() => Qcow2DiskImage.Open(path, readOnly: false));
        }

        using var writable = Qcow2DiskImage.Open(path, readOnly: false);
        Assert.Throws<IOException>(() => Qcow2DiskImage.Open(path, readOnly: true));
        var error = Assert.Throws<IOException>(() => writable.Write((1 << 20) - 1, [1, 2]));
        Assert.Contains("do not fit", error.Message, StringComparison.Ordinal);
    }
}
