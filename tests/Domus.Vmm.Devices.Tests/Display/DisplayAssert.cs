namespace Domus.Vmm.Devices.Tests.Display;

public static class DisplayAssert
{
    /// <summary>The 6-bit DAC value widened to 8 bits, as the renderer shows it.</summary>
    public static uint Dac(byte red, byte green, byte blue) => (uint)(Widen(red) << 16 | Widen(green) << 8 | Widen(blue));

    /// <summary>Every pixel equals its expectation; the first difference is reported with its position.</summary>
    public static void Pixels(int width, int height, uint[] actual, Func<int, int, uint> expected)
    {
        Assert.Equal(width * height, actual.Length);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var want = expected(x, y);
                if (actual[(y * width) + x] != want)
                {
                    Assert.Fail($"pixel ({x}, {y}) is {actual[(y * width) + x]:x6}, expected {want:x6}");
                }
            }
        }
    }

    private static int Widen(byte value) => (value << 2) | (value >> 4);
}
