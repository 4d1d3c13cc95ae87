using System.Buffers.Binary;
using System.Net;
using System.Runtime.InteropServices;
using Domus.Config.Model;
using Domus.DeviceModels;
using Domus.Vmm.Backends.Display;
using Domus.Vmm.Backends.Input;
using Domus.Vmm.Backends.Vnc;
using Domus.Vmm.Devices.Display;
using Domus.Vmm.Host;

namespace Domus.Bench.Vnc;

/// <summary>
/// domus-dm's VGA and VNC server in this process, with no machine around them: the benchmark writes the framebuffer in
/// the guest's place. It sets the guest's mode through the DISPI ports, paints <see cref="ScreenPattern"/> into video
/// memory and, while resumed, changes the line from a thread of its own as the guest's vCPU would; the VNC server is
/// started by domus-dm's own <see cref="VncStartup"/>. No KVM, vCPU or firmware: this is the screen's path from video
/// memory to the client, not the whole device model.
/// </summary>
public sealed class InProcessScreen : IScreenUnderTest, IDisplaySource, IKeyboardInput, IPointerInput
{
    private readonly StdVga _vga = new();
    private readonly VgaRenderer _renderer;
    private VncServer? _server;
    private Thread? _guest;
    private volatile bool _paused = true;

    private InProcessScreen()
    {
        _renderer = new VgaRenderer(_vga);
    }

    public string Name => "domus-dm VGA + VNC in-process";

    public int VncPort => _server?.LocalEndpoint.Port ?? throw new InvalidOperationException("not started");

    /// <summary>Paints the picture and starts the VNC server on the first free port from 5900, as domus-dm does for vncunused.</summary>
    public static async Task<InProcessScreen> StartAsync(DomainConfig config)
    {
        var screen = new InProcessScreen();
        screen.SetModeAndPaint();
        // VncStartup reads only the VNC options; the other files are domus-dm's process's, which this is not.
        var options = new HostOptions("", "", "", "", "", "", "") { Vnc = new IPEndPoint(IPAddress.Loopback, VncDisplay.BasePort), VncLastPort = VncDisplay.LastSearchedPort };
        // Its log would say only that the benchmark's viewers left, one after each measurement.
        screen._server = await VncStartup.StartAsync(options, config, screen, _ => { });
        return screen;
    }

    public Task ResumeAsync()
    {
        _paused = false;
        _guest = new Thread(() =>
        {
            while (!_paused)
            {
                ScreenPattern.ChangeLine(_vga.VideoMemory.Span);
            }
        }) { IsBackground = true, Name = "in-process guest" };
        _guest.Start();
        return Task.CompletedTask;
    }

    public Task PauseAsync()
    {
        _paused = true;
        _guest?.Join();
        return Task.CompletedTask;
    }

    public void Render(Frame frame) => _renderer.Render(frame);

    public void SendKey(ushort scancode, bool pressed)
    {
        // The picture takes no input.
    }

    public void SendPointer(int deltaX, int deltaY, int deltaWheel, PointerButtons buttons)
    {
        // The picture takes no input.
    }

    public async ValueTask DisposeAsync()
    {
        await PauseAsync();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _vga.Dispose();
    }

    /// <summary>What Guests/screen.asm does before its loop: the same DISPI writes, then the picture into the linear framebuffer.</summary>
    private void SetModeAndPaint()
    {
        (ushort Index, ushort Value)[] writes =
        [
            (BochsDispi.IndexEnable, 0), (BochsDispi.IndexXResolution, ScreenPattern.Width), (BochsDispi.IndexYResolution, ScreenPattern.Height),
            (BochsDispi.IndexBitsPerPixel, ScreenPattern.BitsPerPixel), (BochsDispi.IndexEnable, BochsDispi.Enabled | BochsDispi.LinearFramebuffer),
        ];
        Span<byte> word = stackalloc byte[2];
        foreach (var (index, value) in writes)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(word, index);
            _vga.Dispi.Write(0, word);
            BinaryPrimitives.WriteUInt16LittleEndian(word, value);
            _vga.Dispi.Write(1, word);
        }

        ScreenPattern.Paint(MemoryMarshal.Cast<byte, uint>(_vga.VideoMemory.Span));
    }
}
