namespace Domus.Vmm.Devices.Display;

/// <summary>The Bochs VBE mode the renderer scans out: resolution, depth, the virtual screen's width and the visible corner.</summary>
internal readonly record struct VbeMode(bool Enabled, int Width, int Height, int BitsPerPixel, int VirtualWidth, int XOffset, int YOffset, bool EightBitDac)
{
    public int BytesPerPixel => (BitsPerPixel + 7) / 8;

    public int BytesPerLine => LineBytes(VirtualWidth, BitsPerPixel);

    /// <summary>4 bits per pixel is planar: a line is width / 8 bytes in each of the four planes.</summary>
    public static int LineBytes(int width, int bitsPerPixel) => bitsPerPixel == 4 ? width / 2 : width * ((bitsPerPixel + 7) / 8);
}
