using System.Collections.Concurrent;
using System.Net;
using Domus.Tests.Screens;
using Domus.Vmm.Backends.Input;
using Domus.Vmm.Backends.Vnc;

namespace Domus.Vmm.Backends.Tests.Vnc;

public sealed class VncServerTests : IAsyncDisposable
{
    // Not a multiple of ZRLE's 64-pixel tiles, so that packed palette rows need padding.
    private const int Width = 300;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private readonly FakeDisplay _display = new(Width, 200, Busy);
    private readonly RecordingInput _input = new();
    private readonly ConcurrentQueue<string> _log = new();
    private VncServer? _server;

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    /// <summary>A picture with flat areas, few-colour stripes and noise, so that every ZRLE tile kind occurs.</summary>
    private static uint Busy(int x, int y) => (x / 64, y / 64) switch
    {
        (0, _) => 0x336699,
        (1, _) => (uint)((x * 2654435761u) ^ (y * 40503u)),
        (2, _) => (uint)(((x * 7) ^ (y * 13)) % 11) * 0x151515u,
        (3, _) => (uint)(y / 8 * 0x102030),
        _ => (x / 3 + y) % 4 == 0 ? 0xFFFFFFu : 0x000080u,
    };

    [Fact]
    public async Task AClientWithoutPasswordLearnsTheScreenSizeAndName()
    {
        using var client = await ConnectAsync(password: null);
        Assert.Equal((Width, 200, "test-domain"), (client.Width, client.Height, client.DesktopName));
    }

    [Theory]
    [InlineData(3, null)]
    [InlineData(3, "secret")]
    [InlineData(7, null)]
    [InlineData(7, "secret")]
    public async Task OlderProtocolVersionsAreServed(int minor, string? password)
    {
        using var client = await ConnectAsync(password, new RfbClientOptions { MinorVersion = minor });
        Assert.Equal(_display.Pixels, await client.FramebufferAsync());
    }

    [Fact]
    public async Task TheRightPasswordIsAcceptedAndAWrongOneRefusedWithAReason()
    {
        StartServer("secret");
        var refused = await Assert.ThrowsAsync<IOException>(() => RfbClient.ConnectAsync("127.0.0.1", Port, "wrong"));
        Assert.Contains("Authentication failed", refused.Message, StringComparison.Ordinal);
        using var client = await RfbClient.ConnectAsync("127.0.0.1", Port, "secret");
        Assert.Equal(_display.Pixels, await client.FramebufferAsync());
    }

    [Fact]
    public async Task OnlyTheFirstEightCharactersOfThePasswordCount()
    {
        StartServer("password-long");
        using var client = await RfbClient.ConnectAsync("127.0.0.1", Port, "password");
        Assert.Equal(Width, client.Width);
    }

    [Theory]
    [InlineData(RfbClient.EncodingRaw, 32)]
    [InlineData(RfbClient.EncodingZrle, 32)]
    [InlineData(RfbClient.EncodingRaw, 16)]
    [InlineData(RfbClient.EncodingZrle, 16)]
    public async Task AFullUpdateDecodesToExactlyTheFramebuffer(int encoding, int bitsPerPixel)
    {
        using var client = await ConnectAsync(null, new RfbClientOptions { Encodings = [encoding], BitsPerPixel = bitsPerPixel });
        var rectangles = await client.UpdateAsync(incremental: false, 0, 0, Width, 200);
        Assert.All(rectangles, r => Assert.Equal(encoding, r.Encoding));
        var expected = bitsPerPixel == 32 ? _display.Pixels : _display.Pixels.Select(Through565).ToArray();
        Assert.Equal(expected, client.Screen);
    }

    [Fact]
    public async Task ZrleKeepsOneZlibStreamAcrossUpdates()
    {
        using var client = await ConnectAsync(null, new RfbClientOptions { Encodings = [RfbClient.EncodingZrle] });
        await client.UpdateAsync(incremental: false, 0, 0, Width, 200);
        for (var step = 1; step <= 3; step++)
        {
            _display.Set(step * 50, step * 20, 0xABCDEF);
            await client.UpdateAsync(incremental: true, 0, 0, Width, 200);
        }

        Assert.Equal(_display.Pixels, client.Screen);
    }

    [Theory]
    [InlineData(RfbClient.EncodingRaw)]
    [InlineData(RfbClient.EncodingZrle)]
    public async Task AnIncrementalUpdateAfterAOneLineChangeSendsOnlyThatLine(int encoding)
    {
        using var client = await ConnectAsync(null, new RfbClientOptions { Encodings = [encoding] });
        await client.UpdateAsync(incremental: false, 0, 0, Width, 200);
        for (var x = 10; x < 100; x++)
        {
            _display.Set(x, 77, 0xFF00FF);
        }

        var rectangles = await client.UpdateAsync(incremental: true, 0, 0, Width, 200);
        Assert.Equal([new RfbRectangle(10, 77, 90, 1, encoding)], rectangles);
        Assert.Equal(_display.Pixels, client.Screen);
    }

    [Fact]
    public async Task AnIncrementalRequestWaitsUntilSomethingChanges()
    {
        using var client = await ConnectAsync(password: null);
        await client.UpdateAsync(incremental: false, 0, 0, Width, 200);
        await client.RequestAsync(incremental: true, 0, 0, Width, 200);
        var update = client.ReadUpdateAsync();
        await Task.WhenAny(update, Task.Delay(300, TestContext.Current.CancellationToken));
        Assert.False(update.IsCompleted, "an update came although nothing changed");
        _display.Set(5, 6, 0x123456);
        Assert.Equal([new RfbRectangle(5, 6, 1, 1, RfbClient.EncodingRaw)], await update.WaitAsync(Patience, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task AModeChangeIsADesktopSizeRectangleAndAFullScreen()
    {
        using var client = await ConnectAsync(null, new RfbClientOptions { Encodings = [RfbClient.EncodingZrle, RfbClient.EncodingDesktopSize] });
        await client.UpdateAsync(incremental: false, 0, 0, Width, 200);
        _display.ChangeMode(640, 480, (x, y) => (uint)(x * y));
        var rectangles = await client.UpdateAsync(incremental: true, 0, 0, Width, 200);
        Assert.Equal(new RfbRectangle(0, 0, 640, 480, RfbClient.EncodingDesktopSize), rectangles[0]);
        Assert.Equal((640, 480), (client.Width, client.Height));
        Assert.Equal(_display.Pixels, client.Screen);
    }

    [Fact]
    public async Task TwoClientsAtOnceEachGetTheScreenAndItsChanges()
    {
        using var first = await ConnectAsync(null, new RfbClientOptions { Encodings = [RfbClient.EncodingZrle] });
        using var second = await RfbClient.ConnectAsync("127.0.0.1", Port, null);
        Assert.Equal(2, _server!.ClientCount);
        Assert.Equal(_display.Pixels, await first.FramebufferAsync());
        Assert.Equal(_display.Pixels, await second.FramebufferAsync());
        _display.Set(100, 100, 0x00FF00);
        await first.UpdateAsync(incremental: true, 0, 0, Width, 200);
        await second.UpdateAsync(incremental: true, 0, 0, Width, 200);
        Assert.Equal(_display.Pixels, first.Screen);
        Assert.Equal(_display.Pixels, second.Screen);
    }

    [Fact]
    public async Task SeveralClientsAtOnceSeeWholePicturesWhileTheScreenChangesAndChangesMode()
    {
        // Each picture differs from every other at every pixel, and its number is in each pixel's red byte: a client
        // screen that mixes two pictures (a frame drawn over while a connection still encoded it) matches none.
        static Func<int, int, uint> Picture(int number) => (x, y) => ((uint)number << 16) | (Busy(x, y) & 0xFFFF);
        StartServer(password: null);
        var clients = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => RfbClient.ConnectAsync("127.0.0.1", Port, null, new RfbClientOptions
        {
            Encodings = [i % 2 == 0 ? RfbClient.EncodingRaw : RfbClient.EncodingZrle, RfbClient.EncodingDesktopSize],
        })));
        using var drawing = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var drawer = Task.Run(
            async () =>
            {
                for (var number = 1; !drawing.IsCancellationRequested; number = (number + 1) % 256)
                {
                    var (width, height) = number / 32 % 2 == 0 ? (Width, 200) : (200, 150);
                    _display.ChangeMode(width, height, Picture(number));
                    await Task.Delay(1, CancellationToken.None);
                }
            },
            CancellationToken.None);
        try
        {
            await Task.WhenAll(clients.Select(async (client, i) =>
            {
                for (var update = 0; update < 40; update++)
                {
                    // Half the clients ask for the whole screen each time, half for what changed.
                    await client.UpdateAsync(incremental: i < 2 && update > 0, 0, 0, client.Width, client.Height);
                    var number = (int)(client.Screen[0] >> 16);
                    var expected = new FakeDisplay(client.Width, client.Height, Picture(number)).Pixels;
                    Assert.True(expected.AsSpan().SequenceEqual(client.Screen), $"client {i}, update {update}: not picture {number} throughout");
                }
            }));
        }
        finally
        {
            await drawing.CancelAsync();
            await drawer;
            foreach (var client in clients)
            {
                client.Dispose();
            }
        }
    }

    [Theory]
    [InlineData(new byte[] { 0xFF })]
    [InlineData(new byte[] { 2, 0, 0xFF, 0xFF })]
    [InlineData(new byte[] { 0, 0, 0, 0, 8, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 })]
    [InlineData(new byte[] { 6, 0, 0, 0, 0x7F, 0xFF, 0xFF, 0xFF })]
    public async Task AMalformedMessageDisconnectsOnlyThatClient(byte[] nonsense)
    {
        using var good = await ConnectAsync(password: null);
        using var bad = await RfbClient.ConnectAsync("127.0.0.1", Port, null);
        await bad.SendAsync(nonsense);
        Assert.True(await bad.IsClosedWithinAsync(Patience));
        Assert.Equal(_display.Pixels, await good.FramebufferAsync());
        Assert.Contains(_log, line => line.Contains("disconnected", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AClientThatNeverFinishesItsHandshakeIsDropped()
    {
        StartServer(null, TimeSpan.FromMilliseconds(200));
        using var silent = new System.Net.Sockets.TcpClient();
        await silent.ConnectAsync(IPAddress.Loopback, Port, TestContext.Current.CancellationToken);
        var buffer = new byte[64];
        var stream = silent.GetStream();
        await stream.ReadExactlyAsync(buffer.AsMemory(0, 12), TestContext.Current.CancellationToken);
        var read = await stream.ReadAsync(buffer, TestContext.Current.CancellationToken).AsTask().WaitAsync(Patience, TestContext.Current.CancellationToken);
        Assert.Equal(0, read);
    }

    [Fact]
    public async Task KeysAreTranslatedThroughTheKeymap()
    {
        using var client = await ConnectAsync(password: null);
        await client.TypeAsync('a');
        await client.TypeAsync(0xFF52); // Up
        await client.TypeAsync(0x10FFFF); // no key on this layout: nothing
        await client.TypeAsync('A');
        await RecordingInput.WaitForAsync(_input.Keys, 6);
        Assert.Equal([(0x1E, true), (0x1E, false), (0xE048, true), (0xE048, false), (0x1E, true), (0x1E, false)], _input.Keys.ToArray());
    }

    [Fact]
    public async Task KeysStillHeldWhenAClientLeavesAreReleased()
    {
        using (var client = await ConnectAsync(password: null))
        {
            await client.KeyAsync(0xFFE3, down: true); // Control_L
            await RecordingInput.WaitForAsync(_input.Keys, 1);
        }

        await RecordingInput.WaitForAsync(_input.Keys, 2);
        Assert.Equal([(0x1D, true), (0x1D, false)], _input.Keys.ToArray());
    }

    [Fact]
    public async Task PointerEventsBecomeRelativeMovesButtonsAndWheelSteps()
    {
        using var client = await ConnectAsync(password: null);
        await client.PointerAsync(0, 100, 100);
        await client.PointerAsync(1, 110, 95);
        await client.PointerAsync(0x10 | 4, 110, 95);
        await client.PointerAsync(0, 100, 100);
        await RecordingInput.WaitForAsync(_input.Pointer, 4);
        Assert.Equal(
            [(0, 0, 0, PointerButtons.None), (10, -5, 0, PointerButtons.Left), (0, 0, 1, PointerButtons.Right), (-10, 5, 0, PointerButtons.None)],
            _input.Pointer.ToArray());
    }

    [Fact]
    public async Task StoppingTheServerClosesItsClients()
    {
        using var client = await ConnectAsync(password: null);
        await _server!.DisposeAsync();
        _server = null;
        Assert.True(await client.IsClosedWithinAsync(Patience));
    }

    private int Port => _server!.LocalEndpoint.Port;

    /// <summary>A colour as a 5-6-5 client shows it: each channel scaled down as the server does, then back up as the client does.</summary>
    private static uint Through565(uint rgb)
    {
        static uint Channel(uint value, uint max) => ((((value & 0xFF) * max) + 127) / 255 * 255 + (max / 2)) / max;
        return Channel(rgb >> 16, 31) << 16 | Channel(rgb >> 8, 63) << 8 | Channel(rgb, 31);
    }

    private void StartServer(string? password, TimeSpan? handshakeTimeout = null)
    {
        _server = new VncServer(_display, _input, _input, new VncServerOptions
        {
            Endpoint = new IPEndPoint(IPAddress.Loopback, 0),
            Password = password,
            DesktopName = "test-domain",
            UpdateInterval = TimeSpan.FromMilliseconds(10),
            HandshakeTimeout = handshakeTimeout ?? TimeSpan.FromSeconds(30),
            Log = _log.Enqueue,
        });
        _server.Start();
    }

    private async Task<RfbClient> ConnectAsync(string? password, RfbClientOptions? options = null)
    {
        StartServer(password);
        return await RfbClient.ConnectAsync("127.0.0.1", Port, password, options);
    }
}
