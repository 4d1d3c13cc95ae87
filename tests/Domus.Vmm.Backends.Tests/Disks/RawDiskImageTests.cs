using Domus.Vmm.Backends.Disks;

namespace Domus.Vmm.Backends.Tests.Disks;

public sealed class RawDiskImageTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"domus-raw-{Guid.NewGuid():N}.img");

    public RawDiskImageTests() => File.WriteAllBytes(_path, Enumerable.Range(0, 1000).Select(i => (byte)i).ToArray());

    [Fact]
    public void ReadsBeyondTheEndAreZeros()
    {
        using var image = RawDiskImage.Open(_path, readOnly: true);
        Assert.Equal(1000, image.Length);
        var data = new byte[512];
        image.Read(512, data);
        Assert.Equal(Enumerable.Range(512, 488).Select(i => (byte)i), data[..488]);
        Assert.All(data[488..], b => Assert.Equal(0, b));
        image.Read(4096, data);
        Assert.All(data, b => Assert.Equal(0, b));
    }

    [Fact]
    public void WritesReachTheFileAndReadOnlyImagesRefuseThem()
    {
        using (var image = RawDiskImage.Open(_path, readOnly: false))
        {
            image.Write(10, [0xAA, 0xBB]);
            image.Flush();
        }

        Assert.Equal([0xAA, 0xBB], File.ReadAllBytes(_path)[10..12]);
        using var readOnly = RawDiskImage.Open(_path, readOnly: true);
        Assert.Throws<IOException>(() => readOnly.Write(0, [1]));
    }

    [Fact]
    public void AWritableImageIsOpenedByOneUserOnly()
    {
        using var first = RawDiskImage.Open(_path, readOnly: false);
        Assert.Throws<IOException>(() => RawDiskImage.Open(_path, readOnly: false));
        Assert.Throws<IOException>(() => RawDiskImage.Open(_path, readOnly: true));
    }

    [Fact]
    public void ReadOnlyImagesCanBeShared()
    {
        using var first = RawDiskImage.Open(_path, readOnly: true);
        using var second = RawDiskImage.Open(_path, readOnly: true);
        Assert.Equal(first.Length, second.Length);
    }

    public void Dispose() => File.Delete(_path);
}
