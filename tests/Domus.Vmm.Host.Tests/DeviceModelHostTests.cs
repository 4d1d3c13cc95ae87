using System.Net;
using System.Text.Json.Nodes;
using Domus.Vmm.Backends.Display;
using Domus.Vmm.Machine.Domain;

namespace Domus.Vmm.Host.Tests;

/// <summary>
/// The host's QMP commands and its screen before any machine exists (a machine needs /dev/kvm; the commands
/// with one run in Domus.DeviceModels.Tests where KVM is).
/// </summary>
public sealed class DeviceModelHostTests
{
    private static DeviceModelHost Host() =>
        new(() => throw new DomainMachineException("no machine in these tests"), rebootsInPlace: false, (_, _) => { }, _ => { }, () => { });

    [Fact]
    public void WithoutAMachineTheScreenIsBlackAndInputIsDropped()
    {
        var host = Host();
        var frame = new Frame();
        host.Render(frame);
        Assert.Equal((640, 400), (frame.Width, frame.Height));
        Assert.All(frame.Pixels, pixel => Assert.Equal(0u, pixel));
        host.SendKey(0x1E, pressed: true);
        host.SendPointer(1, 1, 0, default);
    }

    [Fact]
    public void QueryVncSaysWhereTheServerListens()
    {
        var host = Host();
        Assert.False(host.Execute("query-vnc", null)?["enabled"]?.GetValue<bool>());
        host.VncEndpoint = IPEndPoint.Parse("127.0.0.1:5907");
        var vnc = host.Execute("query-vnc", null);
        Assert.True(vnc?["enabled"]?.GetValue<bool>());
        Assert.Equal("5907", vnc?["service"]?.GetValue<string>());
    }

    [Fact]
    public void ScreendumpWritesPngOnlyAndNeedsAGraphicsCard()
    {
        var host = Host();
        var error = Assert.Throws<QmpCommandException>(() => host.Execute("screendump", new JsonObject { ["filename"] = "/tmp/x.ppm", ["format"] = "ppm" }));
        Assert.Contains("png", error.Message, StringComparison.Ordinal);
        error = Assert.Throws<QmpCommandException>(() => host.Execute("screendump", new JsonObject { ["filename"] = "/tmp/x.png" }));
        Assert.Contains("no graphics card", error.Message, StringComparison.Ordinal);
        Assert.Throws<QmpCommandException>(() => host.Execute("send-key", new JsonObject { ["keys"] = new JsonArray(new JsonObject { ["type"] = "qcode", ["data"] = "ctrl" }) }));
    }
}
