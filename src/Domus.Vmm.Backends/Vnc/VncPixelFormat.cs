using System.Buffers.Binary;

namespace Domus.Vmm.Backends.Vnc;

/// <summary>An RFB pixel format (RFC 6143 §7.4): true colour at 8, 16 or 32 bits per pixel, either byte order.</summary>
public readonly record struct VncPixelFormat(
    byte BitsPerPixel, byte Depth, bool BigEndian, ushort RedMax, ushort GreenMax, ushort BlueMax, byte RedShift, byte GreenShift, byte BlueShift)
{
    public const int WireSize = 16;

    /// <summary>What the server offers: 32 bits, depth 24, little-endian, 0x00RRGGBB.</summary>
    public static VncPixelFormat Default { get; } = new(32, 24, false, 255, 255, 255, 16, 8, 0);

    public int BytesPerPixel => BitsPerPixel / 8;

    /// <summary>
    /// ZRLE's compressed pixel: three bytes where a 32-bit pixel's colour fits in its low or high three bytes,
    /// else the whole pixel.
    /// </summary>
    public int CompressedBytesPerPixel =>
        BitsPerPixel == 32 && Depth <= 24 && ((ColourBits & 0xFF000000) == 0 || (ColourBits & 0xFF) == 0) ? 3 : BytesPerPixel;

    private uint ColourBits => (uint)(RedMax << RedShift | GreenMax << GreenShift | BlueMax << BlueShift);

    /// <summary>Reads a client's SetPixelFormat body; null for what this server cannot send (colour maps, odd sizes, bad shifts).</summary>
    public static VncPixelFormat? Parse(ReadOnlySpan<byte> wire)
    {
        var format = new VncPixelFormat(
            wire[0], wire[1], wire[2] != 0, BinaryPrimitives.ReadUInt16BigEndian(wire[4..]), BinaryPrimitives.ReadUInt16BigEndian(wire[6..]),
            BinaryPrimitives.ReadUInt16BigEndian(wire[8..]), wire[10], wire[11], wire[12]);
        var trueColour = wire[3] != 0;
        var valid = trueColour && format.BitsPerPixel is 8 or 16 or 32
            && format.RedShift < format.BitsPerPixel && format.GreenShift < format.BitsPerPixel && format.BlueShift < format.BitsPerPixel
            && (ulong)format.ColourBits < 1UL << format.BitsPerPixel;
        return valid ? format : null;
    }

    public void Write(Span<byte> wire)
    {
        wire[..WireSize].Clear();
        wire[0] = BitsPerPixel;
        wire[1] = Depth;
        wire[2] = BigEndian ? (byte)1 : (byte)0;
        wire[3] = 1;
        BinaryPrimitives.WriteUInt16BigEndian(wire[4..], RedMax);
        BinaryPrimitives.WriteUInt16BigEndian(wire[6..], GreenMax);
        BinaryPrimitives.WriteUInt16BigEndian(wire[8..], BlueMax);
        wire[10] = RedShift;
        wire[11] = GreenShift;
        wire[12] = BlueShift;
    }

    /// <summary>The pixel value of a 0xRRGGBB colour, each channel scaled to its maximum.</summary>
    public uint Convert(uint rgb) =>
        Scale(rgb >> 16, RedMax) << RedShift | Scale(rgb >> 8, GreenMax) << GreenShift | Scale(rgb, BlueMax) << BlueShift;

    /// <summary>Writes a pixel value in this format's size and byte order.</summary>
    public void WritePixel(uint value, Span<byte> destination)
    {
        switch (BitsPerPixel)
        {
            case 8:
                destination[0] = (byte)value;
                break;
            case 16 when BigEndian:
                BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)value);
                break;
            case 16:
                BinaryPrimitives.WriteUInt16LittleEndian(destination, (ushort)value);
                break;
            case 32 when BigEndian:
                BinaryPrimitives.WriteUInt32BigEndian(destination, value);
                break;
            default:
                BinaryPrimitives.WriteUInt32LittleEndian(destination, value);
                break;
        }
    }

    /// <summary>A pixel as ZRLE sends it (<see cref="CompressedBytesPerPixel"/> bytes).</summary>
    public void WriteCompressedPixel(uint value, Span<byte> destination)
    {
        if (CompressedBytesPerPixel != 3)
        {
            WritePixel(value, destination);
            return;
        }

        Span<byte> whole = stackalloc byte[4];
        WritePixel(value, whole);
        var lowBytes = (ColourBits & 0xFF000000) == 0;
        // The three bytes that hold the colour: the low ones come first in little-endian order.
        whole.Slice(lowBytes != BigEndian ? 0 : 1, 3).CopyTo(destination);
    }

    private static uint Scale(uint channel, ushort max) => ((channel & 0xFF) * max + 127) / 255;
}
