using System.Net;

namespace Domus.Daemon.Tests;

public sealed class DaemonOptionsTests
{
    [Fact]
    public void Defaults()
    {
        Assert.Equal((false, 0, 0), (DaemonOptions.Parse([]).Background, DaemonOptions.Parse([]).Listen.Count, DaemonOptions.Parse([]).ImageDirectories.Count));
    }

    [Fact]
    public void BackgroundAndListeners()
    {
        var options = DaemonOptions.Parse(["--background", "--listen", "0.0.0.0:8123", "--listen", "[::1]:9000"]);
        Assert.True(options.Background);
        Assert.Equal([IPEndPoint.Parse("0.0.0.0:8123"), IPEndPoint.Parse("[::1]:9000")], options.Listen);
    }

    [Fact]
    public void ImageDirectoriesAreAbsolute()
    {
        Assert.Equal(["/srv/iso", "/data/images"], DaemonOptions.Parse(["--image-dir", "/srv/iso/", "--image-dir", "/data/x/../images"]).ImageDirectories);
    }

    [Theory]
    [InlineData("--image-dir")]
    [InlineData("--image-dir", "relative/dir")]
    [InlineData("--listen")]
    [InlineData("--listen", "nowhere")]
    [InlineData("--listen", "127.0.0.1")]
    [InlineData("--verbose")]
    public void BadArgumentsAreRefusedWithTheUsage(params string[] arguments)
    {
        var e = Assert.Throws<ArgumentException>(() => DaemonOptions.Parse(arguments));
        Assert.EndsWith(DaemonOptions.Usage, e.Message, StringComparison.Ordinal);
    }
}
