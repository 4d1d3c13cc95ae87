using Domus.Tests.Screens;
using Domus.Vmm.Backends.Display;
using Domus.Vmm.Devices.Display;

namespace Domus.Vmm.Devices.Tests.Display;

public sealed class VgaRendererTests : IDisposable
{
    private readonly StdVga _vga = new(StdVga.DefaultVideoMemorySize);
    private readonly VgaProgrammer _io;
    private readonly VgaRenderer _renderer;
    private readonly Frame _frame = new();

    public VgaRendererTests()
    {
        _io = new VgaProgrammer(_vga);
        _renderer = new VgaRenderer(_vga);
    }

    public void Dispose() => _vga.Dispose();

    /// <summary>A font no glyph of which equals another's, so that a misplaced glyph shows.</summary>
    private static byte GlyphLine(int character, int line) => (byte)(character ^ (line * 0x25));

    [Fact]
    public void ATextScreenRendersItsGlyphsAndDecodesToItsCharacters()
    {
        _io.SetText80x25();
        _io.SetDac(0x01, 0x00, 0x00, 0x2A); // blue (attribute palette entry 1)
        _io.SetDac(0x3F, 0x3F, 0x3F, 0x3F); // white (entry 15 is 0x3F)
        _io.LoadFont(GlyphLine, 16);
        _io.OutIndexed(VgaProgrammer.Crtc, 0x0A, 0x20); // no cursor
        WriteText(0, 0, "Hello, VGA", 0x1F);
        WriteText(24, 70, "bottom", 0x1F);

        var text = _renderer.ReadText();
        Assert.NotNull(text);
        Assert.Equal(25, text.Count);
        Assert.Equal("Hello, VGA".PadRight(80), text[0]);
        Assert.Equal(new string(' ', 70) + "bottom" + "    ", text[24]);

        _renderer.Render(_frame);
        Assert.Equal((720, 400), (_frame.Width, _frame.Height));
        var white = DisplayAssert.Dac(0x3F, 0x3F, 0x3F);
        var blue = DisplayAssert.Dac(0x00, 0x00, 0x2A);
        DisplayAssert.Pixels(9 * 10, 16, _frame.Pixels.Chunk(720).SelectMany(row => row[..90]).Take(90 * 16).ToArray(), (x, y) =>
        {
            var character = "Hello, VGA"[x / 9];
            return x % 9 < 8 && (GlyphLine(character, y) & (0x80 >> (x % 9))) != 0 ? white : blue;
        });
    }

    [Fact]
    public void TheCursorCoversItsScanLinesInTheForegroundColour()
    {
        _io.SetText80x25();
        _io.SetDac(0x07, 0x2A, 0x2A, 0x2A);
        _io.LoadFont((_, _) => 0, 16);
        WriteText(2, 5, "x", 0x07);
        _io.OutIndexed(VgaProgrammer.Crtc, 0x0A, 0x0E);
        _io.OutIndexed(VgaProgrammer.Crtc, 0x0B, 0x0F);
        _io.OutIndexed(VgaProgrammer.Crtc, 0x0E, 0x00);
        _io.OutIndexed(VgaProgrammer.Crtc, 0x0F, 2 * 80 + 5);
        _renderer.Render(_frame);
        var grey = DisplayAssert.Dac(0x2A, 0x2A, 0x2A);
        Assert.Equal(grey, _frame.Row((2 * 16) + 14)[(5 * 9) + 3]);
        Assert.Equal(0u, _frame.Row((2 * 16) + 13)[(5 * 9) + 3]);
    }

    [Fact]
    public void Mode13hRendersEveryPixelThroughTheDac()
    {
        _io.SetChained320x200();
        for (var index = 0; index < 256; index++)
        {
            _io.SetDac(index, (byte)(index & 0x3F), (byte)(index >> 2), (byte)((index * 7) & 0x3F));
        }

        for (var y = 0; y < 200; y++)
        {
            for (var x = 0; x < 320; x++)
            {
                _io.WriteWindow((uint)(0xA0000 + (y * 320) + x), Pattern(x, y));
            }
        }

        _renderer.Render(_frame);
        DisplayAssert.Pixels(320, 200, _frame.Pixels, (x, y) =>
        {
            var index = Pattern(x, y);
            return DisplayAssert.Dac((byte)(index & 0x3F), (byte)(index >> 2), (byte)((index * 7) & 0x3F));
        });
    }

    [Fact]
    public void Mode12hRendersFourPlanesThroughTheAttributePalette()
    {
        _io.SetPlanar640x480();
        for (var index = 0; index < 64; index++)
        {
            _io.SetDac(index, (byte)index, (byte)(63 - index), (byte)(index / 2));
        }

        for (var plane = 0; plane < 4; plane++)
        {
            _io.OutIndexed(VgaProgrammer.Sequencer, 0x02, (byte)(1 << plane));
            for (var y = 0; y < 480; y++)
            {
                for (var column = 0; column < 80; column++)
                {
                    _io.WriteWindow((uint)(0xA0000 + (y * 80) + column), Pattern(column + plane * 13, y));
                }
            }
        }

        _renderer.Render(_frame);
        byte[] palette = [0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x14, 0x07, 0x38, 0x39, 0x3a, 0x3b, 0x3c, 0x3d, 0x3e, 0x3f];
        DisplayAssert.Pixels(640, 480, _frame.Pixels, (x, y) =>
        {
            var colour = 0;
            for (var plane = 0; plane < 4; plane++)
            {
                colour |= (Pattern((x / 8) + plane * 13, y) >> (7 - (x % 8)) & 1) << plane;
            }

            var index = palette[colour];
            return DisplayAssert.Dac(index, (byte)(63 - index), (byte)(index / 2));
        });
    }

    [Fact]
    public void AVbe32BitModeRendersTheLinearFramebufferPixelExact()
    {
        EnableVbe(800, 600, 32);
        var memory = _vga.VideoMemory.Span;
        for (var i = 0; i < 800 * 600; i++)
        {
            BitConverter.TryWriteBytes(memory[(i * 4)..], (uint)(i * 2654435761u) & 0xFFFFFF);
        }

        _renderer.Render(_frame);
        DisplayAssert.Pixels(800, 600, _frame.Pixels, (x, y) => (uint)(((y * 800) + x) * 2654435761u) & 0xFFFFFF);
    }

    [Fact]
    public void AVbe16BitModeWidensItsChannelsAndHonoursTheOffsets()
    {
        EnableVbe(640, 480, 16);
        WriteDispi(BochsDispi.IndexVirtualWidth, 1024);
        WriteDispi(BochsDispi.IndexXOffset, 8);
        WriteDispi(BochsDispi.IndexYOffset, 4);
        var memory = _vga.VideoMemory.Span;
        BitConverter.TryWriteBytes(memory[(((4 * 1024) + 8) * 2)..], (ushort)0xF800); // red
        BitConverter.TryWriteBytes(memory[(((5 * 1024) + 9) * 2)..], (ushort)0x07E0); // green
        BitConverter.TryWriteBytes(memory[(((6 * 1024) + 10) * 2)..], (ushort)0x8410); // half grey
        _renderer.Render(_frame);
        Assert.Equal((640, 480), (_frame.Width, _frame.Height));
        Assert.Equal(0xFF0000u, _frame.Pixels[0]);
        Assert.Equal(0x00FF00u, _frame.Row(1)[1]);
        Assert.Equal(0x848284u, _frame.Row(2)[2]);
    }

    [Fact]
    public void AVbe24BitModeReadsBlueGreenRedTriples()
    {
        EnableVbe(320, 240, 24);
        var memory = _vga.VideoMemory.Span;
        for (var i = 0; i < 320 * 240; i++)
        {
            memory[i * 3] = (byte)i;
            memory[(i * 3) + 1] = (byte)(i >> 8);
            memory[(i * 3) + 2] = (byte)(i * 3);
        }

        _renderer.Render(_frame);
        DisplayAssert.Pixels(320, 240, _frame.Pixels, (x, y) =>
        {
            var i = (y * 320) + x;
            return (uint)((byte)(i * 3) << 16 | (byte)(i >> 8) << 8 | (byte)i);
        });
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AVbe8BitModeGoesThroughTheDacOfSixOrEightBits(bool eightBitDac)
    {
        EnableVbe(640, 480, 8);
        if (eightBitDac)
        {
            WriteDispi(BochsDispi.IndexEnable, BochsDispi.Enabled | BochsDispi.LinearFramebuffer | BochsDispi.NoClearMemory | BochsDispi.EightBitDac);
        }

        _io.SetDac(0x42, 0x3F, 0x20, 0x01);
        _io.SetDac(0x43, 0xC0, 0x80, 0x04);
        _vga.VideoMemory.Span[(10 * 640) + 20] = 0x42;
        _vga.VideoMemory.Span[(10 * 640) + 21] = 0x43;
        _renderer.Render(_frame);
        Assert.Equal(eightBitDac ? 0x3F2001u : DisplayAssert.Dac(0x3F, 0x20, 0x01), _frame.Row(10)[20]);
        Assert.Equal(eightBitDac ? 0xC08004u : DisplayAssert.Dac(0x00, 0x00, 0x04), _frame.Row(10)[21]);
    }

    [Fact]
    public void AScreenTurnedOffByTheAttributeControllerIsBlack()
    {
        _io.SetChained320x200();
        _io.SetDac(1, 0x3F, 0x3F, 0x3F);
        _vga.VideoMemory.Span[..64000].Fill(1);
        _ = _io.In(VgaProgrammer.Status);
        _io.Out(VgaProgrammer.Attribute, 0x00);
        _renderer.Render(_frame);
        Assert.DoesNotContain(_frame.Pixels, pixel => pixel != 0);
        Assert.Null(_renderer.ReadText());
    }

    [Fact]
    public void AScreenshotIsAPngOfTheFrame()
    {
        EnableVbe(64, 48, 32);
        var memory = _vga.VideoMemory.Span;
        for (var i = 0; i < 64 * 48; i++)
        {
            BitConverter.TryWriteBytes(memory[(i * 4)..], (uint)(i * 40503) & 0xFFFFFF);
        }

        _renderer.Render(_frame);
        var (width, height, pixels) = PngImage.Read(PngEncoder.Encode(_frame));
        Assert.Equal((64, 48), (width, height));
        Assert.Equal(_frame.Pixels, pixels);
    }

    private static byte Pattern(int x, int y) => (byte)((x * 3) ^ (y * 5) ^ (x * y >> 4));

    private void WriteText(int row, int column, string text, byte attribute)
    {
        for (var i = 0; i < text.Length; i++)
        {
            _io.WriteWindow((uint)(0xB8000 + ((row * 80) + column + i) * 2), (byte)text[i], attribute);
        }
    }

    private void WriteDispi(ushort index, ushort value)
    {
        _vga.Dispi.Write(0, [(byte)index, (byte)(index >> 8)]);
        _vga.Dispi.Write(1, [(byte)value, (byte)(value >> 8)]);
    }

    private void EnableVbe(ushort width, ushort height, ushort bitsPerPixel)
    {
        WriteDispi(BochsDispi.IndexBitsPerPixel, bitsPerPixel);
        WriteDispi(BochsDispi.IndexXResolution, width);
        WriteDispi(BochsDispi.IndexYResolution, height);
        WriteDispi(BochsDispi.IndexEnable, BochsDispi.Enabled | BochsDispi.LinearFramebuffer);
    }
}
