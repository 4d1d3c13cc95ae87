using System.Buffers.Binary;
using System.IO.Compression;

namespace Domus.Vmm.Backends.Vnc;

/// <summary>
/// ZRLE (RFC 6143 §7.7.6) for one connection: a rectangle is cut into 64x64 tiles, each sent solid, with a
/// packed palette (2-16 colours) or as plain RLE or raw, whichever is smaller, and all of it goes through one
/// zlib stream that lives as long as the connection, flushed at the end of every rectangle, straight into the
/// connection's message.
/// </summary>
internal sealed class ZrleEncoder : IDisposable
{
    public const int TileSize = 64;
    private const byte Raw = 0, Solid = 1, PlainRle = 128;

    private readonly MemoryStream _message;
    private readonly ZLibStream _zlib;
    private readonly MemoryStream _tile = new();
    private readonly Dictionary<uint, int> _palette = [];

    public ZrleEncoder(MemoryStream message)
    {
        _message = message;
        _zlib = new ZLibStream(message, CompressionLevel.Fastest, leaveOpen: true);
    }

    /// <summary>
    /// Appends one rectangle of <paramref name="pixels"/> (0xRRGGBB, <paramref name="stride"/> per row) to the message:
    /// the length of its compressed data, then the data.
    /// </summary>
    public void Encode(ReadOnlySpan<uint> pixels, int stride, int x, int y, int width, int height, VncPixelFormat format)
    {
        var lengthAt = (int)_message.Length;
        _message.Write(stackalloc byte[4]); // the length, once the data is written
        for (var tileY = y; tileY < y + height; tileY += TileSize)
        {
            for (var tileX = x; tileX < x + width; tileX += TileSize)
            {
                EncodeTile(pixels, stride, tileX, tileY, Math.Min(TileSize, x + width - tileX), Math.Min(TileSize, y + height - tileY), format);
                _tile.WriteTo(_zlib);
            }
        }

        _zlib.Flush();
        BinaryPrimitives.WriteInt32BigEndian(_message.GetBuffer().AsSpan(lengthAt), (int)_message.Length - lengthAt - 4);
    }

    public void Dispose()
    {
        _zlib.Dispose();
        _tile.Dispose();
    }

    private void EncodeTile(ReadOnlySpan<uint> pixels, int stride, int x, int y, int width, int height, VncPixelFormat format)
    {
        _tile.SetLength(0);
        _palette.Clear();
        var runs = 0;
        uint previous = 0;
        for (var row = 0; row < height; row++)
        {
            foreach (var pixel in pixels.Slice(((y + row) * stride) + x, width))
            {
                if (_palette.Count <= 16)
                {
                    _palette.TryAdd(pixel, _palette.Count);
                }

                runs += runs == 0 || pixel != previous ? 1 : 0;
                previous = pixel;
            }
        }

        var pixelBytes = format.CompressedBytesPerPixel;
        if (_palette.Count == 1)
        {
            _tile.WriteByte(Solid);
            WritePixel(previous, format);
            return;
        }

        var rawSize = width * height * pixelBytes;
        var rleSize = runs * (pixelBytes + 1);
        if (_palette.Count <= 16)
        {
            WritePackedPalette(pixels, stride, x, y, width, height, format);
        }
        else if (rleSize < rawSize)
        {
            WritePlainRle(pixels, stride, x, y, width, height, format);
        }
        else
        {
            _tile.WriteByte(Raw);
            for (var row = 0; row < height; row++)
            {
                foreach (var pixel in pixels.Slice(((y + row) * stride) + x, width))
                {
                    WritePixel(pixel, format);
                }
            }
        }
    }

    /// <summary>The palette, then each row's indexes packed at 1, 2 or 4 bits, most significant first, rows padded to a byte.</summary>
    private void WritePackedPalette(ReadOnlySpan<uint> pixels, int stride, int x, int y, int width, int height, VncPixelFormat format)
    {
        _tile.WriteByte((byte)_palette.Count);
        foreach (var colour in _palette.OrderBy(entry => entry.Value))
        {
            WritePixel(colour.Key, format);
        }

        var bits = _palette.Count switch { 2 => 1, <= 4 => 2, _ => 4 };
        for (var row = 0; row < height; row++)
        {
            int packed = 0, used = 0;
            foreach (var pixel in pixels.Slice(((y + row) * stride) + x, width))
            {
                packed = (packed << bits) | _palette[pixel];
                used += bits;
                if (used == 8)
                {
                    _tile.WriteByte((byte)packed);
                    packed = used = 0;
                }
            }

            if (used > 0)
            {
                _tile.WriteByte((byte)(packed << (8 - used)));
            }
        }
    }

    /// <summary>Runs across the whole tile: a pixel, then its length minus one as bytes of 255 and a final byte below 255.</summary>
    private void WritePlainRle(ReadOnlySpan<uint> pixels, int stride, int x, int y, int width, int height, VncPixelFormat format)
    {
        _tile.WriteByte(PlainRle);
        uint current = 0;
        var length = 0;
        for (var row = 0; row < height; row++)
        {
            foreach (var pixel in pixels.Slice(((y + row) * stride) + x, width))
            {
                if (length > 0 && pixel != current)
                {
                    WriteRun(current, length, format);
                    length = 0;
                }

                current = pixel;
                length++;
            }
        }

        WriteRun(current, length, format);
    }

    private void WriteRun(uint pixel, int length, VncPixelFormat format)
    {
        WritePixel(pixel, format);
        for (length--; length >= 255; length -= 255)
        {
            _tile.WriteByte(255);
        }

        _tile.WriteByte((byte)length);
    }

    private void WritePixel(uint rgb, VncPixelFormat format)
    {
        Span<byte> bytes = stackalloc byte[4];
        format.WriteCompressedPixel(format.Convert(rgb), bytes);
        _tile.Write(bytes[..format.CompressedBytesPerPixel]);
    }
}
