using System.Buffers.Binary;
using System.IO.Compression;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace Domus.Tests.Screens;

/// <summary>
/// A VNC client of RFB 3.8 (RFC 6143; 3.3 and 3.7 on request), written from the protocol for the tests: the
/// handshake, VNC authentication, a true-colour pixel format of 32 or 16 bits, raw, ZRLE and DesktopSize in
/// framebuffer updates (kept in <see cref="Screen"/>), key and pointer events. It knows nothing of either device model.
/// </summary>
public sealed class RfbClient : IDisposable
{
    public const int EncodingRaw = 0, EncodingZrle = 16, EncodingDesktopSize = -223;

    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private readonly RfbClientOptions _options;
    private readonly MemoryStream _zrleInput = new();
    private readonly ZLibStream _zrle;

    private RfbClient(TcpClient tcp, RfbClientOptions options)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
        _options = options;
        _zrle = new ZLibStream(_zrleInput, CompressionMode.Decompress);
    }

    public int Width { get; private set; }

    public int Height { get; private set; }

    public string DesktopName { get; private set; } = string.Empty;

    /// <summary>What the client shows: 0xRRGGBB pixels, row by row, as the updates so far drew them.</summary>
    public uint[] Screen { get; private set; } = [];

    /// <summary>Every byte read from the server since the connection opened, for benchmarks of what updates cost.</summary>
    public long BytesReceived { get; private set; }

    /// <summary>Connects and authenticates; a refusal is an <see cref="IOException"/> with the server's reason.</summary>
    public static async Task<RfbClient> ConnectAsync(string host, int port, string? password, RfbClientOptions? options = null)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(host, port);
        var client = new RfbClient(tcp, options ?? new RfbClientOptions());
        try
        {
            await client.HandshakeAsync(password);
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    private async Task HandshakeAsync(string? password)
    {
        var version = Encoding.ASCII.GetString(await ReadAsync(12));
        if (!version.StartsWith("RFB 003.", StringComparison.Ordinal))
        {
            throw new IOException($"not an RFB server: '{version}'");
        }

        var minor = _options.MinorVersion;
        await _stream.WriteAsync(Encoding.ASCII.GetBytes($"RFB 003.{minor:000}\n"));
        const byte none = 1, vncAuthentication = 2;
        byte chosen;
        if (minor >= 7)
        {
            var types = await ReadAsync((await ReadAsync(1))[0]);
            if (types.Length == 0)
            {
                throw new IOException($"the server refused: {await ReadReasonAsync()}");
            }

            chosen = password is not null && types.Contains(vncAuthentication) ? vncAuthentication
                : types.Contains(none) ? none
                : throw new IOException($"no security type this client can use among [{string.Join(", ", types)}]");
            await _stream.WriteAsync(new[] { chosen });
        }
        else
        {
            chosen = (byte)BinaryPrimitives.ReadUInt32BigEndian(await ReadAsync(4));
            if (chosen == vncAuthentication && password is null)
            {
                throw new IOException("the server wants a password");
            }
        }

        if (chosen == vncAuthentication)
        {
            await _stream.WriteAsync(Respond(await ReadAsync(16), password!));
        }

        if ((chosen == vncAuthentication || minor >= 8) && BinaryPrimitives.ReadUInt32BigEndian(await ReadAsync(4)) != 0)
        {
            throw new IOException(minor >= 8 ? $"the server refused: {await ReadReasonAsync()}" : "the server refused");
        }

        await _stream.WriteAsync(new byte[] { 1 });
        var init = await ReadAsync(24);
        Resize(BinaryPrimitives.ReadUInt16BigEndian(init), BinaryPrimitives.ReadUInt16BigEndian(init.AsSpan(2)));
        DesktopName = Encoding.UTF8.GetString(await ReadAsync((int)BinaryPrimitives.ReadUInt32BigEndian(init.AsSpan(20))));

        // SetPixelFormat: true colour, little-endian; 32 bits (depth 24, 8 bits each at shifts 16, 8, 0) or 16 bits (5-6-5).
        byte[] format = _options.BitsPerPixel == 16
            ? [0, 0, 0, 0, 16, 16, 0, 1, 0, 31, 0, 63, 0, 31, 11, 5, 0, 0, 0, 0]
            : [0, 0, 0, 0, 32, 24, 0, 1, 0, 255, 0, 255, 0, 255, 16, 8, 0, 0, 0, 0];
        await _stream.WriteAsync(format);

        var encodings = new byte[4 + (4 * _options.Encodings.Length)];
        encodings[0] = 2;
        BinaryPrimitives.WriteUInt16BigEndian(encodings.AsSpan(2), (ushort)_options.Encodings.Length);
        for (var i = 0; i < _options.Encodings.Length; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(encodings.AsSpan(4 + (4 * i)), _options.Encodings[i]);
        }

        await _stream.WriteAsync(encodings);
    }

    /// <summary>The whole screen as 0xRRGGBB pixels, row by row, from a non-incremental update.</summary>
    public async Task<uint[]> FramebufferAsync()
    {
        await RequestAsync(incremental: false, 0, 0, Width, Height);
        var covered = 0L;
        while (covered < (long)Width * Height)
        {
            covered += (await ReadUpdateAsync()).Where(r => r.Encoding != EncodingDesktopSize).Sum(r => (long)r.Width * r.Height);
        }

        return (uint[])Screen.Clone();
    }

    /// <summary>Asks for an update of a region and returns the rectangles of the one update that answers it.</summary>
    public async Task<IReadOnlyList<RfbRectangle>> UpdateAsync(bool incremental, int x, int y, int width, int height)
    {
        await RequestAsync(incremental, x, y, width, height);
        return await ReadUpdateAsync();
    }

    public async Task RequestAsync(bool incremental, int x, int y, int width, int height)
    {
        var request = new byte[10];
        request[0] = 3;
        request[1] = incremental ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteUInt16BigEndian(request.AsSpan(2), (ushort)x);
        BinaryPrimitives.WriteUInt16BigEndian(request.AsSpan(4), (ushort)y);
        BinaryPrimitives.WriteUInt16BigEndian(request.AsSpan(6), (ushort)width);
        BinaryPrimitives.WriteUInt16BigEndian(request.AsSpan(8), (ushort)height);
        await _stream.WriteAsync(request);
    }

    /// <summary>Reads server messages up to and including the next framebuffer update, which it draws into <see cref="Screen"/>.</summary>
    public async Task<IReadOnlyList<RfbRectangle>> ReadUpdateAsync()
    {
        while (true)
        {
            var type = (await ReadAsync(1))[0];
            switch (type)
            {
                case 0:
                    var count = BinaryPrimitives.ReadUInt16BigEndian((await ReadAsync(3)).AsSpan(1));
                    var rectangles = new List<RfbRectangle>();
                    for (var r = 0; r < count; r++)
                    {
                        rectangles.Add(await ReadRectangleAsync());
                    }

                    return rectangles;
                case 2:
                    break;
                case 3:
                    await ReadAsync((int)BinaryPrimitives.ReadUInt32BigEndian((await ReadAsync(7)).AsSpan(3)));
                    break;
                default:
                    throw new IOException($"unexpected server message {type}");
            }
        }
    }

    /// <summary>Presses and releases a key, named by its X keysym (a character's code for Latin-1).</summary>
    public async Task TypeAsync(uint keysym)
    {
        await KeyAsync(keysym, down: true);
        await KeyAsync(keysym, down: false);
    }

    public async Task KeyAsync(uint keysym, bool down)
    {
        var message = new byte[8];
        message[0] = 4;
        message[1] = down ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(4), keysym);
        await _stream.WriteAsync(message);
    }

    /// <summary>A pointer event: button mask (bit 0 left, 1 middle, 2 right, 3/4 wheel) at a position.</summary>
    public async Task PointerAsync(byte buttons, int x, int y)
    {
        var message = new byte[6];
        message[0] = 5;
        message[1] = buttons;
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(2), (ushort)x);
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(4), (ushort)y);
        await _stream.WriteAsync(message);
    }

    /// <summary>Sends bytes as they are, for tests of what a server does with nonsense.</summary>
    public async Task SendAsync(byte[] bytes) => await _stream.WriteAsync(bytes);

    /// <summary>Whether the server closes the connection within <paramref name="timeout"/> (whatever it sends first is skipped).</summary>
    public async Task<bool> IsClosedWithinAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        var buffer = new byte[4096];
        try
        {
            while (await _stream.ReadAsync(buffer, cancellation.Token) > 0)
            {
            }

            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    public void Dispose()
    {
        _zrle.Dispose();
        _tcp.Dispose();
    }

    private void Resize(int width, int height)
    {
        (Width, Height) = (width, height);
        Screen = new uint[width * height];
    }

    private async Task<RfbRectangle> ReadRectangleAsync()
    {
        var header = await ReadAsync(12);
        var rectangle = new RfbRectangle(
            BinaryPrimitives.ReadUInt16BigEndian(header), BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(2)),
            BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(4)), BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(6)),
            BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(8)));
        switch (rectangle.Encoding)
        {
            case EncodingRaw:
                DrawPixels(await ReadAsync(rectangle.Width * rectangle.Height * BytesPerPixel), rectangle.X, rectangle.Y, rectangle.Width, rectangle.Height, BytesPerPixel);
                break;
            case EncodingZrle:
                // The connection's one zlib stream reads on where it stopped; the new bytes go after what it has not read.
                var compressed = await ReadAsync((int)BinaryPrimitives.ReadUInt32BigEndian(await ReadAsync(4)));
                var readUpTo = _zrleInput.Position;
                _zrleInput.Seek(0, SeekOrigin.End);
                _zrleInput.Write(compressed);
                _zrleInput.Position = readUpTo;
                DecodeZrle(rectangle);
                break;
            case EncodingDesktopSize:
                Resize(rectangle.Width, rectangle.Height);
                break;
            default:
                throw new IOException($"the server sent encoding {rectangle.Encoding}, which was not asked for");
        }

        return rectangle;
    }

    private int BytesPerPixel => _options.BitsPerPixel / 8;

    /// <summary>ZRLE's compressed pixel: three bytes for 32-bit pixels of depth 24 (the low bytes, little-endian), else the pixel.</summary>
    private int CompressedBytesPerPixel => _options.BitsPerPixel == 32 ? 3 : BytesPerPixel;

    /// <summary>ZRLE (RFC 6143 §7.7.6): 64x64 tiles, each raw, solid, packed palette, plain RLE or palette RLE.</summary>
    private void DecodeZrle(RfbRectangle rectangle)
    {
        for (var tileY = rectangle.Y; tileY < rectangle.Y + rectangle.Height; tileY += 64)
        {
            for (var tileX = rectangle.X; tileX < rectangle.X + rectangle.Width; tileX += 64)
            {
                int width = Math.Min(64, rectangle.X + rectangle.Width - tileX), height = Math.Min(64, rectangle.Y + rectangle.Height - tileY);
                var subencoding = _zrle.ReadByte();
                switch (subencoding)
                {
                    case 0:
                        var pixels = new byte[width * height * CompressedBytesPerPixel];
                        _zrle.ReadExactly(pixels);
                        DrawPixels(pixels, tileX, tileY, width, height, CompressedBytesPerPixel);
                        break;
                    case 1:
                        var colour = ReadCompressedPixel();
                        Fill(tileX, tileY, width, height, Enumerable.Repeat(colour, width * height));
                        break;
                    case >= 2 and <= 16:
                        Fill(tileX, tileY, width, height, PackedPalette(subencoding, width, height));
                        break;
                    case 128:
                        Fill(tileX, tileY, width, height, Runs(width * height, palette: null));
                        break;
                    case >= 130:
                        var palette = Enumerable.Range(0, subencoding - 128).Select(_ => ReadCompressedPixel()).ToArray();
                        Fill(tileX, tileY, width, height, Runs(width * height, palette));
                        break;
                    default:
                        throw new IOException($"ZRLE subencoding {subencoding} is not defined");
                }
            }
        }
    }

    private List<uint> PackedPalette(int size, int width, int height)
    {
        var palette = Enumerable.Range(0, size).Select(_ => ReadCompressedPixel()).ToArray();
        var bits = size == 2 ? 1 : size <= 4 ? 2 : 4;
        var pixels = new List<uint>(width * height);
        for (var row = 0; row < height; row++)
        {
            var bytes = new byte[((width * bits) + 7) / 8];
            _zrle.ReadExactly(bytes);
            for (var x = 0; x < width; x++)
            {
                var bit = x * bits;
                pixels.Add(palette[(bytes[bit / 8] >> (8 - bits - (bit % 8))) & ((1 << bits) - 1)]);
            }
        }

        return pixels;
    }

    private List<uint> Runs(int count, uint[]? palette)
    {
        var pixels = new List<uint>(count);
        while (pixels.Count < count)
        {
            uint colour;
            var length = 1;
            if (palette is null)
            {
                colour = ReadCompressedPixel();
                length = RunLength();
            }
            else
            {
                var index = _zrle.ReadByte();
                colour = palette[index & 0x7F];
                length = (index & 0x80) != 0 ? RunLength() : 1;
            }

            pixels.AddRange(Enumerable.Repeat(colour, length));
        }

        if (pixels.Count != count)
        {
            throw new IOException($"ZRLE runs cover {pixels.Count} pixels of a {count}-pixel tile");
        }

        return pixels;
    }

    private int RunLength()
    {
        var length = 1;
        int value;
        do
        {
            value = _zrle.ReadByte();
            length += value;
        }
        while (value == 255);
        return length;
    }

    private uint ReadCompressedPixel()
    {
        var bytes = new byte[4];
        _zrle.ReadExactly(bytes, 0, CompressedBytesPerPixel);
        return ToRgb(BinaryPrimitives.ReadUInt32LittleEndian(bytes));
    }

    /// <summary>Pixels as they come, row by row (converting them straight into the screen keeps the client from being the slow end of benchmarks).</summary>
    private void DrawPixels(ReadOnlySpan<byte> bytes, int x, int y, int width, int height, int bytesPerPixel)
    {
        Span<byte> pixel = stackalloc byte[4];
        for (var row = 0; row < height; row++)
        {
            var line = Screen.AsSpan(((y + row) * Width) + x, width);
            var source = bytes.Slice(row * width * bytesPerPixel, width * bytesPerPixel);
            if (bytesPerPixel == 4)
            {
                // Whole little-endian words: no copy per pixel.
                var words = MemoryMarshal.Cast<byte, uint>(source);
                for (var column = 0; column < width; column++)
                {
                    line[column] = ToRgb(words[column]);
                }

                continue;
            }

            for (var column = 0; column < width; column++)
            {
                source.Slice(column * bytesPerPixel, bytesPerPixel).CopyTo(pixel);
                line[column] = ToRgb(BinaryPrimitives.ReadUInt32LittleEndian(pixel));
            }
        }
    }

    private void Fill(int x, int y, int width, int height, IEnumerable<uint> pixels)
    {
        var i = 0;
        foreach (var pixel in pixels)
        {
            Screen[((y + (i / width)) * Width) + x + (i % width)] = pixel;
            i++;
        }

        if (i != width * height)
        {
            throw new IOException($"{i} pixels for a {width}x{height} tile");
        }
    }

    /// <summary>A pixel value in the client's format as 0xRRGGBB, each channel scaled back to 8 bits.</summary>
    private uint ToRgb(uint value) => _options.BitsPerPixel == 16
        ? Scale((value >> 11) & 31, 31) << 16 | Scale((value >> 5) & 63, 63) << 8 | Scale(value & 31, 31)
        : value & 0xFFFFFF;

    private static uint Scale(uint channel, uint max) => ((channel * 255) + (max / 2)) / max;

    /// <summary>VNC authentication: the challenge DES-encrypted with the password (8 bytes, each bit-reversed) as key.</summary>
    private static byte[] Respond(byte[] challenge, string password)
    {
        var key = new byte[8];
        var bytes = Encoding.ASCII.GetBytes(password);
        for (var i = 0; i < Math.Min(8, bytes.Length); i++)
        {
            for (var bit = 0; bit < 8; bit++)
            {
                key[i] |= (byte)((bytes[i] >> bit & 1) << (7 - bit));
            }
        }

#pragma warning disable CA5351 // RFB's VNC authentication is DES by definition; this is a protocol client, not a choice of cipher.
        using var des = DES.Create();
#pragma warning restore CA5351
        des.Key = key;
        return des.EncryptEcb(challenge, PaddingMode.None);
    }

    private async Task<string> ReadReasonAsync() =>
        Encoding.UTF8.GetString(await ReadAsync((int)BinaryPrimitives.ReadUInt32BigEndian(await ReadAsync(4))));

    private async Task<byte[]> ReadAsync(int length)
    {
        var buffer = new byte[length];
        await _stream.ReadExactlyAsync(buffer);
        BytesReceived += length;
        return buffer;
    }}
