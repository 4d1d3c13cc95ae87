using Domus.Daemon.Images;

namespace Domus.Daemon.Tests.Images;

public sealed class ImageSizeTests
{
    [Theory]
    [InlineData("512M", 512L << 20)]
    [InlineData("20G", 20L << 30)]
    [InlineData(" 1.5 GiB ", 3L << 29)]
    [InlineData("2t", 2L << 40)]
    [InlineData("1024K", 1L << 20)]
    [InlineData("1.0001M", (1L << 20) + 512)]
    public void SizesWithUnitsAreBytesInWholeSectors(string text, long bytes) => Assert.Equal((bytes, null), ImageSize.Parse(text));

    [Theory]
    [InlineData("20", "not a size")]
    [InlineData("-1G", "not a size")]
    [InlineData("1e3M", "not a size")]
    [InlineData("10X", "not a size")]
    [InlineData(null, "not a size")]
    [InlineData("100K", "too small")]
    [InlineData("99999999P", "larger than any disk")]
    public void AnythingElseIsRefusedWithTheReason(string? text, string reason) => Assert.Contains(reason, ImageSize.Parse(text).Problem, StringComparison.Ordinal);

    [Theory]
    [InlineData(0, "0 bytes")]
    [InlineData(1536, "1.5 KiB")]
    [InlineData(20L << 30, "20 GiB")]
    public void ReadableSizes(long bytes, string text) => Assert.Equal(text, ImageSize.Readable(bytes));

    [Theory]
    [InlineData("web.qcow2", true)]
    [InlineData("_disk-1+2.img", true)]
    [InlineData("../etc/passwd", false)]
    [InlineData("a/b", false)]
    [InlineData("-o", false)]
    [InlineData(".hidden", false)]
    [InlineData("a,b", false)]
    [InlineData("nbd:host", false)]
    [InlineData("", false)]
    public void ImageNamesAreFileNamesOfTheImageDirectory(string name, bool valid) => Assert.Equal(valid, ImageName.Problem(name) is null);
}
