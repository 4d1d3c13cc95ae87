namespace Domus.Vmm.Host.Tests;

public sealed class HostOptionsTests
{
    private static readonly string[] Complete =
        ["--config", "d.json", "--control", "c.sock", "--console", "s.sock", "--console-log", "c.log", "--firmware-log", "f.log", "--log", "dm.log", "--pidfile", "dm.pid"];

    [Fact]
    public void EveryOptionIsRead()
    {
        var options = HostOptions.Parse(Complete);
        Assert.Equal(new HostOptions("d.json", "c.sock", "s.sock", "c.log", "f.log", "dm.log", "dm.pid") { Taps = options.Taps }, options);
        Assert.Empty(options.Taps);
    }

    [Fact]
    public void TapsAreReadInTheOrderOfTheVifs()
    {
        Assert.Equal(["vif3.0", "vif3.1"], HostOptions.Parse([.. Complete, "--tap", "vif3.0", "--tap", "vif3.1"]).Taps);
        Assert.Equal("--tap needs a value", Assert.Throws<ArgumentException>(() => HostOptions.Parse([.. Complete, "--tap"])).Message);
    }

    [Theory]
    [InlineData("--verbose", "unknown option '--verbose'")]
    [InlineData("--config", "--config is given twice")]
    public void UnknownAndRepeatedOptionsAreRefused(string extra, string message)
    {
        Assert.Equal(message, Assert.Throws<ArgumentException>(() => HostOptions.Parse([.. Complete, extra, "x"])).Message);
    }

    [Fact]
    public void MissingOptionsAndValuesAreNamed()
    {
        Assert.Equal("missing --log, --pidfile", Assert.Throws<ArgumentException>(() => HostOptions.Parse(Complete[..10])).Message);
        Assert.Equal("--pidfile needs a value", Assert.Throws<ArgumentException>(() => HostOptions.Parse(Complete[..^1])).Message);
    }
}
