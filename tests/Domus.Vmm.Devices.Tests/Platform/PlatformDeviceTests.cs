using Domus.Vmm.Devices.Platform;

namespace Domus.Vmm.Devices.Tests.Platform;

public sealed class PlatformDeviceTests
{
    [Fact]
    public void TheDebugConsoleForwardsBytesAndAnswersItsPresence()
    {
        var backend = new RecordingBackend();
        var console = new DebugConsole(backend);
        console.Write(0, "SeaBIOS"u8);
        Assert.Equal("SeaBIOS"u8.ToArray(), backend.Transmitted);
        Assert.Equal(DebugConsole.Presence, console.ReadByte(0));
    }

    [Theory]
    [InlineData(true, 0x01, 1)]
    [InlineData(true, 0x02, 0)]
    [InlineData(false, 0x06, 1)]
    [InlineData(false, 0x04, 1)]
    [InlineData(false, 0x02, 0)]
    public void ResetPortsReset(bool portA, byte value, int resets)
    {
        var count = 0;
        var port = new ResetControl(() => count++, portA);
        port.WriteByte(0, value);
        Assert.Equal(resets, count);
    }

    [Fact]
    public void PortAKeepsTheA20Gate()
    {
        var port = new ResetControl(() => { }, isPortA: true);
        Assert.Equal(0x02, port.ReadByte(0));
        port.WriteByte(0, 0x00);
        Assert.Equal(0x00, port.ReadByte(0));
    }
}
