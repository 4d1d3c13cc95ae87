using System.Net;
using System.Net.Sockets;
using Domus.Tests.Screens;

namespace Domus.Cli.Tests.EndToEnd;

/// <summary>
/// A domain's screen under either device model: its VNC server with a password, reached by a VNC client written
/// from the RFB protocol; domus screenshot; keys typed over VNC reaching the guest. The guest is a boot sector that
/// writes below SeaBIOS's lines and echoes keys to its serial port. domus-dm's need /dev/kvm (scripts/test-kvm.sh
/// runs them where it is missing).
/// </summary>
[Collection(EndToEndGroup.Name)]
public sealed class ScreenTests : IDisposable
{
    private static readonly TimeSpan Boot = TimeSpan.FromSeconds(60);
    private readonly DirectoryInfo _files = Directory.CreateTempSubdirectory("domus-screen-");

    public void Dispose() => _files.Delete(recursive: true);

    private static string Guest => Path.Combine(AppContext.BaseDirectory, "guests", "screen.bin");

    [Fact]
    public Task TheScreenReachesAVncClientAndAScreenshotAndKeysReachTheGuest() => ScreenVncScreenshotAndKeysAsync("qemu");

    [Fact]
    public Task DomusDmsScreenReachesAVncClientAndAScreenshotAndKeysReachTheGuest() => ScreenVncScreenshotAndKeysAsync("native");

    [Fact]
    public Task AGraphicsModePictureIsInTheScreenshotAndOnVncPixelForPixel() => GraphicsModePictureAsync("qemu");

    [Fact]
    public Task DomusDmsGraphicsModePictureIsInTheScreenshotAndOnVncPixelForPixel() => GraphicsModePictureAsync("native");

    /// <summary>The configuration's device model, which must be able to run here (QEMU; domus-dm on KVM).</summary>
    private static string DeviceModel(string version)
    {
        EndToEndEnvironment.RequireQemu();
        if (version == "native" && !File.Exists("/dev/kvm"))
        {
            Assert.Skip("domus-dm needs /dev/kvm (scripts/test-kvm.sh runs this test in a VM that has it)");
        }

        return $"device_model_version='{version}'";
    }

    private async Task ScreenVncScreenshotAndKeysAsync(string version)
    {
        var deviceModel = DeviceModel(version);
        await using var domus = new DomusInstance();
        var (_, console) = await domus.StartDemoAsync($"file:{Guest},hda,r", "screen1", deviceModel, "vnc=1", "vncunused=1", "vnclisten='127.0.0.1'", "vncpasswd='secret'", "vga='stdvga'");
        await using (console)
        {
            await console.WaitForAsync("keys:", Boot);
            var port = Assert.IsType<int>((await domus.Client.GetAsync("screen1")).Domain.VncPort);
            Assert.InRange(port, 5900, 5999);

            var refused = await Assert.ThrowsAsync<IOException>(() => RfbClient.ConnectAsync("127.0.0.1", port, "wrong"));
            Assert.Contains("Authentication failed", refused.Message, StringComparison.Ordinal);

            using var vnc = await RfbClient.ConnectAsync("127.0.0.1", port, "secret");
            Assert.Equal((720, 400), (vnc.Width, vnc.Height));
            var framebuffer = await vnc.FramebufferAsync();

            var file = Path.Combine(_files.FullName, "screen1.png");
            var run = domus.Domus("screenshot", "screen1", file);
            Assert.True(run.ExitCode == 0, run.Error);
            var (width, height, screenshot) = PngImage.Read(await File.ReadAllBytesAsync(file, TestContext.Current.CancellationToken));
            Assert.Equal((vnc.Width, vnc.Height), (width, height));
            Assert.Equal(framebuffer, screenshot);

            // Text on a black screen: the foreground of SeaBIOS's lines and the banner, in at least one row of cells per line.
            var lit = Enumerable.Range(0, height).Count(y => Enumerable.Range(0, width).Any(x => screenshot[(y * width) + x] != 0));
            Assert.InRange(lit, 3 * 8, height / 2);

            foreach (var key in "xyz")
            {
                await vnc.TypeAsync(key);
            }

            await console.WaitForAsync("xyz", TimeSpan.FromSeconds(30));

            var viewer = domus.Domus("vncviewer", "screen1");
            Assert.Equal(0, viewer.ExitCode);
            Assert.Equal($"127.0.0.1::{port}", viewer.Out.Trim());
            Assert.Contains("no viewer started", viewer.Error, StringComparison.Ordinal);
            Assert.Equal(0, domus.Domus("destroy", "screen1").ExitCode);
        }

        Assert.NotEqual(0, domus.Domus("screenshot", "screen1", Path.Combine(_files.FullName, "gone.png")).ExitCode);
    }

    private async Task GraphicsModePictureAsync(string version)
    {
        var deviceModel = DeviceModel(version);
        await using var domus = new DomusInstance();
        var guest = Path.Combine(AppContext.BaseDirectory, "guests", "vbe.bin");
        var (_, console) = await domus.StartDemoAsync($"file:{guest},hda,r", "vbe1", deviceModel, "vnc=1", "vncunused=1", "vnclisten='127.0.0.1'", "vga='stdvga'");
        await using (console)
        {
            // Painting takes a minute and more where KVM is nested in QEMU's TCG (scripts/kvm-in-tcg.sh).
            await console.WaitForAsync("drawn", 4 * Boot);
            var file = Path.Combine(_files.FullName, "vbe1.png");
            var run = domus.Domus("screenshot", "vbe1", file);
            Assert.True(run.ExitCode == 0, run.Error);
            var (width, height, screenshot) = PngImage.Read(await File.ReadAllBytesAsync(file, TestContext.Current.CancellationToken));
            Assert.Equal((640, 480), (width, height));
            var wrong = Enumerable.Range(0, width * height).Count(i => screenshot[i] != Painted(i % width, i / width));
            Assert.Equal(0, wrong);

            var port = Assert.IsType<int>((await domus.Client.GetAsync("vbe1", TestContext.Current.CancellationToken)).Domain.VncPort);
            using var vnc = await RfbClient.ConnectAsync("127.0.0.1", port, password: null);
            Assert.Equal(screenshot, await vnc.FramebufferAsync());
            Assert.Equal(0, domus.Domus("destroy", "vbe1").ExitCode);
        }
    }

    /// <summary>The colour guests/vbe.asm paints at (x, y).</summary>
    private static uint Painted(int x, int y) => (uint)(((x & 0xFF) << 16) | ((y & 0xFF) << 8) | ((x ^ y) & 0xFF));

    [Fact]
    public async Task ATakenVncDisplayIsRefusedAndALongPasswordIsCutWithAWarning()
    {
        EndToEndEnvironment.RequireQemu();
        await using var domus = new DomusInstance();
        using var taken = new TcpListener(IPAddress.Loopback, 5977);
        taken.Start();
        var refused = domus.Domus("create", "-p", EndToEndEnvironment.DemoConfig, $"disk=['file:{Guest},hda,r']", "name=screen2", "vnc=1", "vncdisplay=77", "vnclisten='127.0.0.1'");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("vncdisplay = 77: port 5977 on 127.0.0.1 is already in use", refused.Error, StringComparison.Ordinal);
        Assert.Empty(await domus.Client.ListAsync(TestContext.Current.CancellationToken));

        var malformed = domus.Domus("create", "-n", EndToEndEnvironment.DemoConfig, "vnclisten='300.1.2.3'");
        Assert.Equal(1, malformed.ExitCode);
        Assert.Contains("vnclisten", malformed.Error, StringComparison.Ordinal);

        var cut = domus.Domus("create", "-p", EndToEndEnvironment.DemoConfig, $"disk=['file:{Guest},hda,r']", "name=screen3", "vnc=1", "vncunused=1", "vnclisten='127.0.0.1'", "vncpasswd='secret-and-more'");
        Assert.True(cut.ExitCode == 0, cut.Error);
        Assert.Contains("vncpasswd: VNC authentication uses only the first 8 characters of the password", cut.Error, StringComparison.Ordinal);
        var port = Assert.IsType<int>((await domus.Client.GetAsync("screen3", TestContext.Current.CancellationToken)).Domain.VncPort);
        using (await RfbClient.ConnectAsync("127.0.0.1", port, "secret-a"))
        {
            // The first eight characters are the password.
        }

        Assert.Equal(0, domus.Domus("destroy", "screen3").ExitCode);
    }
}
