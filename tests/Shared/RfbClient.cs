using System.Buffers.Binary;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Domus.Tests.Screens;

/// <summary>
/// A VNC client of RFB 3.8 (RFC 6143), written from the protocol for the tests: the handshake, VNC authentication,
/// a 32-bit true-colour pixel format, raw framebuffer updates and key events. It knows nothing of either device model.
/// </summary>
public sealed class RfbClient : IDisposable
{
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;

    private RfbClient(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
    }

    public int Width { get; private set; }

    public int Height { get; private set; }

    public string DesktopName { get; private set; } = string.Empty;

    /// <summary>Connects and authenticates; a refusal is an <see cref="IOException"/> with the server's reason.</summary>
    public static async Task<RfbClient> ConnectAsync(string host, int port, string? password)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(host, port);
        var client = new RfbClient(tcp);
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

        await _stream.WriteAsync("RFB 003.008\n"u8.ToArray());
        var types = await ReadAsync((await ReadAsync(1))[0]);
        if (types.Length == 0)
        {
            throw new IOException($"the server refused: {await ReadReasonAsync()}");
        }

        const byte none = 1, vncAuthentication = 2;
        var chosen = password is not null && types.Contains(vncAuthentication) ? vncAuthentication
            : types.Contains(none) ? none
            : throw new IOException($"no security type this client can use among [{string.Join(", ", types)}]");
        await _stream.WriteAsync(new[] { chosen });
        if (chosen == vncAuthentication)
        {
            await _stream.WriteAsync(Respond(await ReadAsync(16), password!));
        }

        if (BinaryPrimitives.ReadUInt32BigEndian(await ReadAsync(4)) != 0)
        {
            throw new IOException($"the server refused: {await ReadReasonAsync()}");
        }

        await _stream.WriteAsync(new byte[] { 1 });
        var init = await ReadAsync(24);
        Width = BinaryPrimitives.ReadUInt16BigEndian(init);
        Height = BinaryPrimitives.ReadUInt16BigEndian(init.AsSpan(2));
        DesktopName = Encoding.UTF8.GetString(await ReadAsync((int)BinaryPrimitives.ReadUInt32BigEndian(init.AsSpan(20))));

        // SetPixelFormat: 32 bits per pixel, depth 24, little-endian, true colour, 8 bits each at shifts 16, 8, 0.
        byte[] format = [0, 0, 0, 0, 32, 24, 0, 1, 0, 255, 0, 255, 0, 255, 16, 8, 0, 0, 0, 0];
        await _stream.WriteAsync(format);

        // SetEncodings: raw only.
        await _stream.WriteAsync(new byte[] { 2, 0, 0, 1, 0, 0, 0, 0 });
    }

    /// <summary>The whole screen as 0xRRGGBB pixels, row by row, from a non-incremental update.</summary>
    public async Task<uint[]> FramebufferAsync()
    {
        var request = new byte[10];
        request[0] = 3;
        BinaryPrimitives.WriteUInt16BigEndian(request.AsSpan(6), (ushort)Width);
        BinaryPrimitives.WriteUInt16BigEndian(request.AsSpan(8), (ushort)Height);
        await _stream.WriteAsync(request);
        var pixels = new uint[Width * Height];
        var covered = 0L;
        while (covered < pixels.Length)
        {
            var type = (await ReadAsync(1))[0];
            switch (type)
            {
                case 0:
                    var rectangles = BinaryPrimitives.ReadUInt16BigEndian((await ReadAsync(3)).AsSpan(1));
                    for (var r = 0; r < rectangles; r++)
                    {
                        covered += await ReadRectangleAsync(pixels);
                    }

                    break;
                case 2:
                    break;
                case 3:
                    await ReadAsync((int)BinaryPrimitives.ReadUInt32BigEndian((await ReadAsync(7)).AsSpan(3)));
                    break;
                default:
                    throw new IOException($"unexpected server message {type}");
            }
        }

        return pixels;
    }

    /// <summary>Presses and releases a key, named by its X keysym (a character's code for Latin-1).</summary>
    public async Task TypeAsync(uint keysym)
    {
        foreach (var down in new[] { true, false })
        {
            var message = new byte[8];
            message[0] = 4;
            message[1] = down ? (byte)1 : (byte)0;
            BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(4), keysym);
            await _stream.WriteAsync(message);
        }
    }

    public void Dispose() => _tcp.Dispose();

    private async Task<long> ReadRectangleAsync(uint[] pixels)
    {
        var header = await ReadAsync(12);
        int x = BinaryPrimitives.ReadUInt16BigEndian(header), y = BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(2));
        int width = BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(4)), height = BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(6));
        var encoding = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(8));
        if (encoding != 0)
        {
            throw new IOException($"the server sent encoding {encoding}, which was not asked for");
        }

        var data = await ReadAsync(width * height * 4);
        for (var row = 0; row < height; row++)
        {
            for (var column = 0; column < width; column++)
            {
                pixels[((y + row) * Width) + x + column] = BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(((row * width) + column) * 4)) & 0xFFFFFF;
            }
        }

        return (long)width * height;
    }

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
        return buffer;
    }
}
