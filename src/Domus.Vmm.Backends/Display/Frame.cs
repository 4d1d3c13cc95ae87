namespace Domus.Vmm.Backends.Display;

/// <summary>A picture of the guest's screen: <see cref="Width"/> by <see cref="Height"/> pixels, row by row, each 0x00RRGGBB.</summary>
public sealed class Frame
{
    public int Width { get; private set; }

    public int Height { get; private set; }

    public uint[] Pixels { get; private set; } = [];

    /// <summary>Changes the size; the pixels are then undefined until drawn.</summary>
    public void Resize(int width, int height)
    {
        if (width != Width || height != Height)
        {
            Width = width;
            Height = height;
            Pixels = new uint[width * height];
        }
    }

    public Span<uint> Row(int y) => Pixels.AsSpan(y * Width, Width);
}
