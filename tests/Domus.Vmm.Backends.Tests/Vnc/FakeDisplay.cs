using Domus.Vmm.Backends.Display;

namespace Domus.Vmm.Backends.Tests.Vnc;

/// <summary>A screen the test draws on directly: a size and 0xRRGGBB pixels.</summary>
public sealed class FakeDisplay : IDisplaySource
{
    private readonly Lock _lock = new();
    private uint[] _pixels;
    private int _width, _height;

    public FakeDisplay(int width, int height, Func<int, int, uint> pattern)
    {
        (_width, _height, _pixels) = (width, height, Draw(width, height, pattern));
    }

    public int Renders { get; private set; }

    public uint[] Pixels
    {
        get
        {
            lock (_lock)
            {
                return (uint[])_pixels.Clone();
            }
        }
    }

    public void Set(int x, int y, uint colour)
    {
        lock (_lock)
        {
            _pixels[(y * _width) + x] = colour;
        }
    }

    public void ChangeMode(int width, int height, Func<int, int, uint> pattern)
    {
        lock (_lock)
        {
            (_width, _height, _pixels) = (width, height, Draw(width, height, pattern));
        }
    }

    public void Render(Frame frame)
    {
        lock (_lock)
        {
            Renders++;
            frame.Resize(_width, _height);
            _pixels.CopyTo(frame.Pixels, 0);
        }
    }

    private static uint[] Draw(int width, int height, Func<int, int, uint> pattern)
    {
        var pixels = new uint[width * height];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                pixels[(y * width) + x] = pattern(x, y) & 0xFFFFFF;
            }
        }

        return pixels;
    }
}
