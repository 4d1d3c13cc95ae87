using System.Buffers.Binary;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using Domus.Vmm.Backends.Display;
using Domus.Vmm.Backends.Input;

namespace Domus.Vmm.Backends.Vnc;

/// <summary>
/// One viewer: the RFB handshake (3.3, 3.7 or 3.8; None or VNC authentication), then a reader that applies the
/// client's messages and a writer that answers its update requests: a non-incremental request with the whole
/// region, an incremental one, as soon as something changed, with only the changed rectangles, raw or ZRLE as
/// the client prefers, led by a DesktopSize rectangle when the mode changed and the client understands it.
/// Keys it held are released when it goes.
/// </summary>
internal sealed class VncConnection : IDisposable
{
    private const int EncodingRaw = 0, EncodingZrle = 16, EncodingDesktopSize = -223;
    private const byte SecurityNone = 1, SecurityVncAuthentication = 2;
    private const int MaxEncodings = 1024, MaxCutText = 1 << 20;

    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly ScreenCapture _screen;
    private readonly IKeyboardInput _keyboard;
    private readonly IPointerInput _pointer;
    private readonly VncServerOptions _options;
    private readonly VncAuthentication? _authentication;
    private readonly SemaphoreSlim _updateWanted = new(0);
    private readonly Lock _lock = new();
    private readonly HashSet<ushort> _pressedKeys = [];
    // One update at a time is built here and written; kept across updates, as a fresh buffer's pages fault in slowly.
    private readonly MemoryStream _message = new();
    private readonly ZrleEncoder _zrle;
    private VncPixelFormat _format = VncPixelFormat.Default;
    private bool _zrlePreferred, _desktopSize;
    private VncRectangle? _requested;
    private bool _incremental;
    private int _width, _height, _sentWidth, _sentHeight;
    private uint[] _sent = [];
    private (int X, int Y)? _pointerAt;
    private int _pointerMask;

    public VncConnection(Socket socket, ScreenCapture screen, IKeyboardInput keyboard, IPointerInput pointer, VncServerOptions options, VncAuthentication? authentication)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _screen = screen;
        _keyboard = keyboard;
        _pointer = pointer;
        _options = options;
        _authentication = authentication;
        _zrle = new ZrleEncoder(_message);
    }

    public async Task RunAsync(CancellationToken stopping)
    {
        using (var handshake = CancellationTokenSource.CreateLinkedTokenSource(stopping))
        {
            handshake.CancelAfter(_options.HandshakeTimeout);
            await HandshakeAsync(handshake.Token);
        }

        using var ending = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var reader = ReadMessagesAsync(ending.Token);
        var writer = WriteUpdatesAsync(ending.Token);
        // Either loop ending (the client left, broke the protocol, or the server stops) ends both.
        var first = await Task.WhenAny(reader, writer);
        await ending.CancelAsync();
        await Task.WhenAll(reader, writer).ContinueWith(_ => { }, TaskScheduler.Default);
        await first;
    }

    public void Dispose()
    {
        foreach (var key in _pressedKeys)
        {
            _keyboard.SendKey(key, pressed: false);
        }

        _stream.Dispose();
        _zrle.Dispose();
        _message.Dispose();
        _updateWanted.Dispose();
    }

    private async Task HandshakeAsync(CancellationToken cancellation)
    {
        await _stream.WriteAsync("RFB 003.008\n"u8.ToArray(), cancellation);
        var version = Encoding.ASCII.GetString(await ReadAsync(12, cancellation));
        if (!version.StartsWith("RFB 003.", StringComparison.Ordinal) || !int.TryParse(version.AsSpan(8, 3), out var minor) || version[11] != '\n')
        {
            throw new VncProtocolException($"not an RFB client: '{version.TrimEnd()}'");
        }

        var security = _authentication is null ? SecurityNone : SecurityVncAuthentication;
        if (minor >= 7)
        {
            await _stream.WriteAsync(new byte[] { 1, security }, cancellation);
            var chosen = (await ReadAsync(1, cancellation))[0];
            if (chosen != security)
            {
                await RefuseAsync(minor, $"security type {chosen} was not offered", cancellation);
            }
        }
        else
        {
            // RFB 3.3: the server decides.
            await _stream.WriteAsync(BigEndian32(security), cancellation);
        }

        if (_authentication is not null)
        {
            var challenge = VncAuthentication.NewChallenge();
            await _stream.WriteAsync(challenge, cancellation);
            var response = await ReadAsync(VncAuthentication.ChallengeSize, cancellation);
            if (!_authentication.Verify(challenge, response))
            {
                await RefuseAsync(minor, "Authentication failed", cancellation);
            }
        }

        if (_authentication is not null || minor >= 8)
        {
            await _stream.WriteAsync(BigEndian32(0), cancellation);
        }

        // ClientInit's shared flag is not honoured: viewers always share the screen.
        _ = await ReadAsync(1, cancellation);
        using (var screen = _screen.Capture())
        {
            (_width, _height) = (screen.Frame.Width, screen.Frame.Height);
        }

        var name = Encoding.UTF8.GetBytes(_options.DesktopName);
        var init = new byte[24 + name.Length];
        BinaryPrimitives.WriteUInt16BigEndian(init, (ushort)_width);
        BinaryPrimitives.WriteUInt16BigEndian(init.AsSpan(2), (ushort)_height);
        _format.Write(init.AsSpan(4));
        BinaryPrimitives.WriteInt32BigEndian(init.AsSpan(20), name.Length);
        name.CopyTo(init, 24);
        await _stream.WriteAsync(init, cancellation);
    }

    /// <summary>Says why (RFB 3.8 has a reason string after the failed result) and ends the connection.</summary>
    private async Task RefuseAsync(int minor, string reason, CancellationToken cancellation)
    {
        await _stream.WriteAsync(BigEndian32(1), cancellation);
        if (minor >= 8)
        {
            var text = Encoding.UTF8.GetBytes(reason);
            await _stream.WriteAsync(BigEndian32(text.Length), cancellation);
            await _stream.WriteAsync(text, cancellation);
        }

        throw new VncProtocolException(reason);
    }

    private async Task ReadMessagesAsync(CancellationToken cancellation)
    {
        while (true)
        {
            var type = (await ReadAsync(1, cancellation))[0];
            switch (type)
            {
                case 0:
                    var format = VncPixelFormat.Parse((await ReadAsync(3 + VncPixelFormat.WireSize, cancellation)).AsSpan(3))
                        ?? throw new VncProtocolException("a pixel format this server cannot send");
                    lock (_lock)
                    {
                        _format = format;
                    }

                    break;
                case 2:
                    var count = BinaryPrimitives.ReadUInt16BigEndian((await ReadAsync(3, cancellation)).AsSpan(1));
                    if (count > MaxEncodings)
                    {
                        throw new VncProtocolException($"{count} encodings");
                    }

                    SetEncodings(await ReadAsync(count * 4, cancellation));
                    break;
                case 3:
                    RequestUpdate(await ReadAsync(9, cancellation));
                    break;
                case 4:
                    var key = await ReadAsync(7, cancellation);
                    Key(BinaryPrimitives.ReadUInt32BigEndian(key.AsSpan(3)), key[0] != 0);
                    break;
                case 5:
                    var pointer = await ReadAsync(5, cancellation);
                    Pointer(pointer[0], BinaryPrimitives.ReadUInt16BigEndian(pointer.AsSpan(1)), BinaryPrimitives.ReadUInt16BigEndian(pointer.AsSpan(3)));
                    break;
                case 6:
                    var length = BinaryPrimitives.ReadUInt32BigEndian((await ReadAsync(7, cancellation)).AsSpan(3));
                    if (length > MaxCutText)
                    {
                        throw new VncProtocolException($"cut text of {length} bytes");
                    }

                    _ = await ReadAsync((int)length, cancellation); // the guest has no clipboard to give it to
                    break;
                default:
                    throw new VncProtocolException($"unknown message type {type}");
            }
        }
    }

    private void SetEncodings(byte[] list)
    {
        var encodings = Enumerable.Range(0, list.Length / 4).Select(i => BinaryPrimitives.ReadInt32BigEndian(list.AsSpan(i * 4))).ToList();
        var zrle = encodings.IndexOf(EncodingZrle);
        var raw = encodings.IndexOf(EncodingRaw);
        lock (_lock)
        {
            _zrlePreferred = zrle >= 0 && (raw < 0 || zrle < raw);
            _desktopSize = encodings.Contains(EncodingDesktopSize);
        }
    }

    private void RequestUpdate(byte[] request)
    {
        var region = new VncRectangle(
            BinaryPrimitives.ReadUInt16BigEndian(request.AsSpan(1)), BinaryPrimitives.ReadUInt16BigEndian(request.AsSpan(3)),
            BinaryPrimitives.ReadUInt16BigEndian(request.AsSpan(5)), BinaryPrimitives.ReadUInt16BigEndian(request.AsSpan(7)));
        lock (_lock)
        {
            _incremental = (_requested is null || _incremental) && request[0] != 0;
            _requested = _requested?.Union(region) ?? region;
        }

        _updateWanted.Release();
    }

    private void Key(uint keysym, bool pressed)
    {
        if (!_options.Keymap.TryGetScancode(keysym, out var scancode))
        {
            return;
        }

        if (pressed)
        {
            _pressedKeys.Add(scancode);
        }
        else
        {
            _pressedKeys.Remove(scancode);
        }

        _keyboard.SendKey(scancode, pressed);
    }

    /// <summary>RFB's absolute pointer becomes relative movement; buttons 4 and 5 pressed are wheel steps up and down.</summary>
    private void Pointer(byte mask, int x, int y)
    {
        var (lastX, lastY) = _pointerAt ?? (x, y);
        _pointerAt = (x, y);
        var pressedNow = mask & ~_pointerMask;
        _pointerMask = mask;
        var wheel = ((pressedNow >> 4) & 1) - ((pressedNow >> 3) & 1);
        var buttons = ((mask & 1) != 0 ? PointerButtons.Left : 0) | ((mask & 2) != 0 ? PointerButtons.Middle : 0) | ((mask & 4) != 0 ? PointerButtons.Right : 0);
        _pointer.SendPointer(x - lastX, y - lastY, wheel, buttons);
    }

    private async Task WriteUpdatesAsync(CancellationToken cancellation)
    {
        while (true)
        {
            await _updateWanted.WaitAsync(cancellation);
            while (!await TrySendUpdateAsync(cancellation))
            {
                // Until the next frame is drawn, not a whole interval: the frame found unchanged may be most of one old.
                // Whole milliseconds up, as timers count them, so that the wait never ends before the frame is due.
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Ceiling(_screen.UntilNextCapture.TotalMilliseconds)), cancellation);
            }
        }
    }

    /// <summary>Sends what the pending request asks for; false while an incremental request finds nothing changed.</summary>
    private async Task<bool> TrySendUpdateAsync(CancellationToken cancellation)
    {
        VncRectangle requested;
        bool incremental, zrle, desktopSize;
        VncPixelFormat format;
        lock (_lock)
        {
            if (_requested is not { } pending)
            {
                return true;
            }

            (requested, incremental, zrle, desktopSize, format) = (pending, _incremental, _zrlePreferred, _desktopSize, _format);
        }

        // The frame is held only while the message is built, not while a slow client reads it.
        using (var screen = _screen.Capture())
        {
            if (!TryBuildUpdate(screen.Frame, requested, incremental, zrle, desktopSize, format))
            {
                return false;
            }
        }

        await _stream.WriteAsync(_message.GetBuffer().AsMemory(0, (int)_message.Length), cancellation);
        _message.SetLength(0);
        // Up to twice a whole screen of 32-bit pixels is what growing by doubling reaches for one full update; a
        // buffer grown for a bigger mode than the current one is let go.
        if (_message.Capacity > 2L * _sentWidth * _sentHeight * sizeof(uint))
        {
            _message.Capacity = 0;
        }

        return true;
    }

    /// <summary>The update for the pending request into <see cref="_message"/>; false while an incremental request finds nothing changed.</summary>
    private bool TryBuildUpdate(Frame frame, VncRectangle requested, bool incremental, bool zrle, bool desktopSize, VncPixelFormat format)
    {
        var resized = desktopSize && (frame.Width, frame.Height) != (_width, _height);
        if (resized)
        {
            (_width, _height) = (frame.Width, frame.Height);
        }

        // A new mode (or the first update) has nothing to compare with: the client gets all it can show.
        var visible = new VncRectangle(0, 0, Math.Min(_width, frame.Width), Math.Min(_height, frame.Height));
        var region = requested.Intersect(visible);
        if ((frame.Width, frame.Height) != (_sentWidth, _sentHeight))
        {
            (_sentWidth, _sentHeight) = (frame.Width, frame.Height);
            _sent = new uint[frame.Width * frame.Height];
            incremental = false;
            region = visible;
        }

        var rectangles = incremental ? FrameDifference.Changed(frame, _sent, region) : region.IsEmpty ? [] : [region];
        if (incremental && rectangles.Count == 0)
        {
            return false;
        }

        lock (_lock)
        {
            _requested = null;
        }

        Span<byte> header = stackalloc byte[12];
        header[0] = 0;
        header[1] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(header[2..], (ushort)(rectangles.Count + (resized ? 1 : 0)));
        _message.Write(header[..4]);
        if (resized)
        {
            WriteRectangleHeader(_message, new VncRectangle(0, 0, frame.Width, frame.Height), EncodingDesktopSize);
        }

        foreach (var rectangle in rectangles)
        {
            WriteRectangleHeader(_message, rectangle, zrle ? EncodingZrle : EncodingRaw);
            if (zrle)
            {
                _zrle.Encode(frame.Pixels, frame.Width, rectangle.X, rectangle.Y, rectangle.Width, rectangle.Height, format);
            }
            else
            {
                WriteRaw(_message, frame, rectangle, format);
            }

            Remember(frame, rectangle);
        }

        return true;
    }

    private static void WriteRectangleHeader(Stream message, VncRectangle rectangle, int encoding)
    {
        Span<byte> header = stackalloc byte[12];
        BinaryPrimitives.WriteUInt16BigEndian(header, (ushort)rectangle.X);
        BinaryPrimitives.WriteUInt16BigEndian(header[2..], (ushort)rectangle.Y);
        BinaryPrimitives.WriteUInt16BigEndian(header[4..], (ushort)rectangle.Width);
        BinaryPrimitives.WriteUInt16BigEndian(header[6..], (ushort)rectangle.Height);
        BinaryPrimitives.WriteInt32BigEndian(header[8..], encoding);
        message.Write(header);
    }

    private static void WriteRaw(Stream message, Frame frame, VncRectangle rectangle, VncPixelFormat format)
    {
        var row = new byte[rectangle.Width * format.BytesPerPixel];
        for (var y = rectangle.Y; y < rectangle.Bottom; y++)
        {
            var pixels = frame.Row(y).Slice(rectangle.X, rectangle.Width);
            if (format == VncPixelFormat.Default && BitConverter.IsLittleEndian)
            {
                // The frame's own layout: no conversion.
                message.Write(MemoryMarshal.AsBytes(pixels));
                continue;
            }

            for (var x = 0; x < pixels.Length; x++)
            {
                format.WritePixel(format.Convert(pixels[x]), row.AsSpan(x * format.BytesPerPixel));
            }

            message.Write(row);
        }
    }

    /// <summary>Keeps what the client now shows, for the next incremental request.</summary>
    private void Remember(Frame frame, VncRectangle rectangle)
    {
        for (var y = rectangle.Y; y < rectangle.Bottom; y++)
        {
            frame.Row(y).Slice(rectangle.X, rectangle.Width).CopyTo(_sent.AsSpan((y * frame.Width) + rectangle.X));
        }
    }

    private async Task<byte[]> ReadAsync(int length, CancellationToken cancellation)
    {
        var buffer = new byte[length];
        await _stream.ReadExactlyAsync(buffer, cancellation);
        return buffer;
    }

    private static byte[] BigEndian32(int value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(bytes, value);
        return bytes;
    }
}
