using System.Net;
using Domus.Tests.Screens;
using Domus.Vmm.Backends.Display;
using Domus.Vmm.Backends.Input;
using Domus.Vmm.Backends.Vnc;
using Domus.Vmm.Devices.Display;
using Domus.Vmm.Devices.Input;

namespace Domus.Vmm.Devices.Tests.Input;

/// <summary>A VNC viewer typing and pointing into the i8042, and seeing the VGA, as the machine will wire them.</summary>
public sealed class VncKeyboardTests : IAsyncDisposable
{
    private readonly FakeInterruptLine _irq1 = new();
    private readonly FakeInterruptLine _irq12 = new();
    private readonly I8042Controller _controller;
    private readonly StdVga _vga = new(1 << 20);
    private VncServer? _server;

    public VncKeyboardTests()
    {
        _controller = new I8042Controller(_irq1, _irq12, () => { });
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _vga.Dispose();
    }

    [Fact]
    public async Task TypedKeysArriveAsSet1ScancodesInTheOutputBuffer()
    {
        using var client = await ConnectAsync("en-us");
        await client.KeyAsync(0xFFE1, down: true); // Shift_L
        await client.TypeAsync('H');
        await client.KeyAsync(0xFFE1, down: false);
        await client.TypeAsync(0xFF0D); // Return
        await client.TypeAsync(0xFF54); // Down
        Assert.Equal([0x2A, 0x23, 0xA3, 0xAA, 0x1C, 0x9C, 0xE0, 0x50, 0xE0, 0xD0], await DrainAsync(10));
        Assert.True(_irq12.RisingEdges == 0);
    }

    [Fact]
    public async Task TheDomainsKeymapDecidesTheKey()
    {
        using var client = await ConnectAsync("de");
        await client.TypeAsync('z');
        await client.TypeAsync('y');
        Assert.Equal([0x15, 0x95, 0x2C, 0xAC], await DrainAsync(4));
    }

    [Fact]
    public async Task PointerEventsBecomeMousePackets()
    {
        _controller.WriteByte(4, 0xD4);
        _controller.WriteByte(0, 0xF4);
        Assert.Equal([0xFA], await DrainAsync(1));
        using var client = await ConnectAsync("en-us");
        await client.PointerAsync(0, 50, 50);
        await client.PointerAsync(1, 53, 40);
        Assert.Equal([0x09, 3, 10], await DrainAsync(3)); // the first event only sets where the pointer is
        Assert.True(_irq12.RisingEdges > 0);
    }

    [Fact]
    public async Task TheViewerSeesTheVgaScreen()
    {
        var renderer = new VgaRenderer(_vga);
        var dispi = _vga.Dispi;
        foreach (var (index, value) in new (ushort, ushort)[] { (3, 32), (1, 64), (2, 48), (4, 0x41) })
        {
            dispi.Write(0, [(byte)index, 0]);
            dispi.Write(1, [(byte)value, (byte)(value >> 8)]);
        }

        for (var i = 0; i < 64 * 48; i++)
        {
            BitConverter.TryWriteBytes(_vga.VideoMemory.Span[(i * 4)..], (uint)(i * 77777) & 0xFFFFFF);
        }

        using var client = await ConnectAsync("en-us", renderer);
        var expected = new Frame();
        renderer.Render(expected);
        Assert.Equal((64, 48), (client.Width, client.Height));
        Assert.Equal(expected.Pixels, await client.FramebufferAsync());
    }

    private async Task<RfbClient> ConnectAsync(string keymap, IDisplaySource? display = null)
    {
        _server = new VncServer(display ?? new VgaRenderer(_vga), _controller, _controller, new VncServerOptions
        {
            Endpoint = new IPEndPoint(IPAddress.Loopback, 0),
            Keymap = Keymap.ForLayout(keymap),
        });
        _server.Start();
        return await RfbClient.ConnectAsync("127.0.0.1", _server.LocalEndpoint.Port, null);
    }

    /// <summary>The next <paramref name="count"/> bytes the guest would read from port 0x60 (events come from the server's tasks).</summary>
    private async Task<List<byte>> DrainAsync(int count)
    {
        var bytes = new List<byte>();
        for (var waited = 0; bytes.Count < count && waited < 5000; waited += 5)
        {
            while ((_controller.ReadByte(4) & 0x01) != 0)
            {
                bytes.Add(_controller.ReadByte(0));
            }

            if (bytes.Count < count)
            {
                await Task.Delay(5);
            }
        }

        return bytes;
    }
}
