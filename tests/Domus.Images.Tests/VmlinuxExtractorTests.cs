using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Compression;

namespace Domus.Images.Tests;

public sealed class VmlinuxExtractorTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("domus-vmlinux-").FullName;
    private static readonly byte[] Elf = [0x7F, (byte)'E', (byte)'L', (byte)'F', 2, 1, 1, .. Enumerable.Range(0, 5000).Select(i => (byte)(i * 13))];

    /// <summary>A bzImage shell: one setup sector after the boot sector, the header, and the payload after some padding.</summary>
    private string BzImage(byte[] payload)
    {
        var image = new byte[1024 + 64 + payload.Length + 100];
        image[0x1F1] = 1;
        "HdrS"u8.CopyTo(image.AsSpan(0x202));
        BinaryPrimitives.WriteUInt16LittleEndian(image.AsSpan(0x206), 0x020F);
        BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan(0x248), 64);
        BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan(0x24C), (uint)payload.Length);
        payload.CopyTo(image, 1024 + 64);
        var path = Path.Combine(_directory, "vmlinuz");
        File.WriteAllBytes(path, image);
        return path;
    }

    [Fact]
    public async Task AGzipPayloadIsDecompressedInProcess()
    {
        var compressed = new MemoryStream();
        await using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(Elf);
        }

        var output = Path.Combine(_directory, "vmlinux");
        await VmlinuxExtractor.ExtractAsync(BzImage(compressed.ToArray()), output, TestContext.Current.CancellationToken);
        Assert.Equal(Elf, await File.ReadAllBytesAsync(output, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task AnXzPayloadIsDecompressedWithXz()
    {
        var raw = Path.Combine(_directory, "elf");
        await File.WriteAllBytesAsync(raw, Elf, TestContext.Current.CancellationToken);
        using (var xz = Process.Start("xz", ["-k", "--check=crc32", raw]))
        {
            await xz.WaitForExitAsync(TestContext.Current.CancellationToken);
        }

        var output = Path.Combine(_directory, "vmlinux");
        await VmlinuxExtractor.ExtractAsync(BzImage(await File.ReadAllBytesAsync(raw + ".xz", TestContext.Current.CancellationToken)), output, TestContext.Current.CancellationToken);
        Assert.Equal(Elf, await File.ReadAllBytesAsync(output, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task APayloadThatIsNotAKernelIsRefused()
    {
        var path = BzImage([0x1F, 0x8B, 0, 0]);
        await Assert.ThrowsAsync<ImageBuildException>(() => VmlinuxExtractor.ExtractAsync(path, Path.Combine(_directory, "x"), TestContext.Current.CancellationToken));
        Assert.Empty(Directory.GetFiles(_directory, "x*"));
        var notBz = Path.Combine(_directory, "plain");
        await File.WriteAllBytesAsync(notBz, new byte[4096], TestContext.Current.CancellationToken);
        var refused = await Assert.ThrowsAsync<ImageBuildException>(() => VmlinuxExtractor.ExtractAsync(notBz, Path.Combine(_directory, "y"), TestContext.Current.CancellationToken));
        Assert.Contains("not a bzImage", refused.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
