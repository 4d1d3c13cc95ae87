using System.Runtime.InteropServices;

namespace Domus.Bench.Vnc;

/// <summary>
/// The picture Guests/screen.asm paints in a 1024x768, 32 bits per pixel Bochs VBE mode, and the line it then keeps
/// changing: red = x / 4, green = y / 4, blue = the top byte of a linear congruential generator stepped once per
/// pixel, row by row (so that compression has work: more than 16 colours in every tile, few runs).
/// </summary>
public static class ScreenPattern
{
    public const int Width = 1024, Height = 768, BitsPerPixel = 32, ChangingLine = 384;

    public static void Paint(Span<uint> pixels)
    {
        var state = 1u;
        for (var y = 0; y < Height; y++)
        {
            for (var x = 0; x < Width; x++)
            {
                state = (state * 1103515245) + 12345;
                pixels[(y * Width) + x] = (uint)(((x >> 2) << 16) | ((y >> 2) << 8)) | (state >> 24);
            }
        }
    }

    /// <summary>Whether <paramref name="screen"/> shows the picture, the changing line aside.</summary>
    public static bool IsShown(int width, int height, uint[] screen)
    {
        if ((width, height) != (Width, Height))
        {
            return false;
        }

        var expected = new uint[Width * Height];
        Paint(expected);
        var line = ChangingLine * Width;
        return screen.AsSpan(0, line).SequenceEqual(expected.AsSpan(0, line))
            && screen.AsSpan(line + Width).SequenceEqual(expected.AsSpan(line + Width));
    }

    /// <summary>One pass of the guest's loop: every pixel of the changing line plus one.</summary>
    public static void ChangeLine(Span<byte> framebuffer)
    {
        foreach (ref var pixel in MemoryMarshal.Cast<byte, uint>(framebuffer).Slice(ChangingLine * Width, Width))
        {
            pixel++;
        }
    }
}
