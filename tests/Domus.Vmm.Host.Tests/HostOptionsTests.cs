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

    [Fact]
    public void VncTakesAnAddressAndPortAPortRangeAndAPasswordFile()
    {
        var options = HostOptions.Parse([.. Complete, "--vnc", "[::1]:5903", "--vnc-last-port", "5999", "--vnc-password-file", "/run/p"]);
        Assert.Equal(System.Net.IPEndPoint.Parse("[::1]:5903"), options.Vnc);
        Assert.Equal(5999, options.VncLastPort);
        Assert.Equal("/run/p", options.VncPasswordFile);
        Assert.Null(HostOptions.Parse(Complete).Vnc);
    }

    [Theory]
    [InlineData("--vnc", "localhost:5900")]
    [InlineData("--vnc", "127.0.0.1")]
    [InlineData("--vnc-password-file", "/run/p")]
    public void AVncEndpointIsAnAddressAndAPortAndTheOtherVncOptionsNeedIt(string name, string value)
    {
        Assert.Throws<ArgumentException>(() => HostOptions.Parse([.. Complete, name, value]));
    }

    [Fact]
    public void TheLastVncPortIsNotBeforeTheFirst()
    {
        Assert.Throws<ArgumentException>(() => HostOptions.Parse([.. Complete, "--vnc", "127.0.0.1:5905", "--vnc-last-port", "5904"]));
    }
}
