using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Domus.Vmm.Backends.Display;

namespace Domus.Vmm.Devices.Display;

/// <summary>
/// Scans the standard VGA out the way its registers say: a Bochs VBE mode (4, 8, 15, 16, 24 or 32 bits per pixel,
/// from the linear framebuffer at the virtual screen's offset), else text (glyphs from plane 2, 8 or 9 dots wide,
/// attributes through the attribute controller's palette, the cursor; blinking is not shown), 256-colour chained
/// graphics (mode 13h) or 16-colour planar graphics (mode 12h). A screen the attribute controller or sequencer
/// has turned off is black.
/// </summary>
public sealed class VgaRenderer(StdVga vga) : IDisplaySource
{
    // Register indexes the scan-out reads.
    private const int ClockingMode = 1, CharacterMapSelect = 3;
    private const int HorizontalDisplayEnd = 0x01, Overflow = 0x07, MaximumScanLine = 0x09, CursorStart = 0x0A, CursorEnd = 0x0B;
    private const int StartHigh = 0x0C, StartLow = 0x0D, CursorHigh = 0x0E, CursorLow = 0x0F, VerticalDisplayEnd = 0x12, LineOffset = 0x13;
    private const int GraphicsMiscellaneous = 6;
    private const int ModeControl = 0x10, ColourPlaneEnable = 0x12, ColourSelect = 0x14;
    private const int GlyphBytes = 32;

    private static readonly int[] FontBlocks = [0x0000, 0x4000, 0x8000, 0xC000, 0x2000, 0x6000, 0xA000, 0xE000];

    public void Render(Frame frame)
    {
        var (registers, vbe) = vga.Snapshot();
        var memory = vga.VideoMemory.Span;
        if (vbe.Enabled)
        {
            RenderVbe(frame, registers, vbe, memory);
        }
        else if ((registers.Graphics[GraphicsMiscellaneous] & 0x01) == 0)
        {
            RenderText(frame, registers, memory);
        }
        else if ((registers.Attribute[ModeControl] & 0x40) != 0)
        {
            RenderChained256(frame, registers, memory);
        }
        else
        {
            var (width, height) = GraphicsSize(registers);
            RenderPlanar(frame, registers, memory, width, height, StartAddress(registers), registers.Crtc[LineOffset] * 2);
        }

        if (!vbe.Enabled && ((registers.AttributeIndex & 0x20) == 0 || (registers.Sequencer[ClockingMode] & 0x20) != 0))
        {
            Array.Clear(frame.Pixels);
        }
    }

    /// <summary>The characters of a text mode, one string per row (printable ASCII as itself, others as '?'); null in graphics modes.</summary>
    public IReadOnlyList<string>? ReadText()
    {
        var (registers, vbe) = vga.Snapshot();
        if (vbe.Enabled || (registers.Graphics[GraphicsMiscellaneous] & 0x01) != 0)
        {
            return null;
        }

        var memory = vga.VideoMemory.Span;
        var (columns, rows, _, _) = TextGeometry(registers);
        var lines = new string[rows];
        Span<char> line = stackalloc char[columns];
        for (var row = 0; row < rows; row++)
        {
            for (var column = 0; column < columns; column++)
            {
                var character = CellByte(memory, registers, row, column, 0);
                line[column] = character switch { 0 => ' ', >= 0x20 and < 0x7F => (char)character, _ => '?' };
            }

            lines[row] = new string(line);
        }

        return lines;
    }

    private static int StartAddress(VgaRegisters registers) => registers.Crtc[StartHigh] << 8 | registers.Crtc[StartLow];

    private static int DisplayedLines(VgaRegisters registers)
    {
        var overflow = registers.Crtc[Overflow];
        return (registers.Crtc[VerticalDisplayEnd] | (overflow & 0x02) << 7 | (overflow & 0x40) << 3) + 1;
    }

    /// <summary>Scan lines drawn per pixel row: the maximum scan line field plus one, doubled by double scanning.</summary>
    private static int LineRepeat(VgaRegisters registers) =>
        ((registers.Crtc[MaximumScanLine] & 0x1F) + 1) * ((registers.Crtc[MaximumScanLine] & 0x80) != 0 ? 2 : 1);

    private static (int Width, int Height) GraphicsSize(VgaRegisters registers)
    {
        var halfClock = (registers.Sequencer[ClockingMode] & 0x08) != 0;
        var width = (registers.Crtc[HorizontalDisplayEnd] + 1) * 8 / (halfClock ? 2 : 1);
        return (width, DisplayedLines(registers) / LineRepeat(registers));
    }

    private static (int Columns, int Rows, int CharacterWidth, int CharacterHeight) TextGeometry(VgaRegisters registers)
    {
        var height = (registers.Crtc[MaximumScanLine] & 0x1F) + 1;
        var width = (registers.Sequencer[ClockingMode] & 0x01) != 0 ? 8 : 9;
        return (registers.Crtc[HorizontalDisplayEnd] + 1, DisplayedLines(registers) / height, width, height);
    }

    /// <summary>Byte <paramref name="plane"/> (0 character, 1 attribute) of a text cell; rows are twice the offset register apart.</summary>
    private static byte CellByte(ReadOnlySpan<byte> memory, VgaRegisters registers, int row, int column, int plane)
    {
        var address = (StartAddress(registers) + (row * registers.Crtc[LineOffset] * 2) + column) * 4 + plane;
        return address < memory.Length ? memory[address] : (byte)0;
    }

    private static uint DacColour(VgaRegisters registers, int index, bool eightBit)
    {
        var entry = (index & registers.PixelMask) * 3;
        var dac = registers.Dac;
        return eightBit
            ? (uint)(dac[entry] << 16 | dac[entry + 1] << 8 | dac[entry + 2])
            : Widen(dac[entry]) << 16 | Widen(dac[entry + 1]) << 8 | Widen(dac[entry + 2]);
    }

    private static uint Widen(byte sixBits) => (uint)(((sixBits & 0x3F) << 2) | ((sixBits & 0x3F) >> 4));

    /// <summary>A 4-bit colour through the attribute controller's palette and colour select to the DAC.</summary>
    private static uint[] PaletteColours(VgaRegisters registers)
    {
        var attribute = registers.Attribute;
        var colours = new uint[16];
        for (var index = 0; index < 16; index++)
        {
            var entry = attribute[index] & 0x3F;
            var dacIndex = (attribute[ModeControl] & 0x80) != 0
                ? (entry & 0x0F) | (attribute[ColourSelect] & 0x03) << 4
                : entry;
            colours[index] = DacColour(registers, dacIndex | (attribute[ColourSelect] & 0x0C) << 4, eightBit: false);
        }

        return colours;
    }

    private static void RenderText(Frame frame, VgaRegisters registers, ReadOnlySpan<byte> memory)
    {
        var (columns, rows, characterWidth, characterHeight) = TextGeometry(registers);
        frame.Resize(columns * characterWidth, rows * characterHeight);
        var colours = PaletteColours(registers);
        var mapSelect = registers.Sequencer[CharacterMapSelect];
        var fontA = FontBlocks[((mapSelect >> 3) & 4) | ((mapSelect >> 2) & 3)];
        var fontB = FontBlocks[((mapSelect >> 2) & 4) | (mapSelect & 3)];
        var blinking = (registers.Attribute[ModeControl] & 0x08) != 0;
        var lineGraphics = (registers.Attribute[ModeControl] & 0x04) != 0;
        var cursor = (registers.Crtc[CursorStart] & 0x20) == 0
            ? (registers.Crtc[CursorHigh] << 8 | registers.Crtc[CursorLow]) - StartAddress(registers)
            : -1;
        var cursorFirst = registers.Crtc[CursorStart] & 0x1F;
        var cursorLast = registers.Crtc[CursorEnd] & 0x1F;
        for (var row = 0; row < rows; row++)
        {
            for (var column = 0; column < columns; column++)
            {
                var character = CellByte(memory, registers, row, column, 0);
                var attribute = CellByte(memory, registers, row, column, 1);
                var foreground = colours[attribute & 0x0F];
                var background = colours[(attribute >> 4) & (blinking ? 0x07 : 0x0F)];
                var glyph = ((attribute & 0x08) != 0 ? fontA : fontB) + (character * GlyphBytes);
                var hasCursor = row * columns + column == cursor;
                for (var line = 0; line < characterHeight; line++)
                {
                    var fontAddress = (glyph + line) * 4 + 2;
                    int bits = fontAddress < memory.Length ? memory[fontAddress] : 0;
                    // The ninth dot repeats the eighth for the line-drawing characters, else it is background.
                    var ninth = lineGraphics && character is >= 0xC0 and <= 0xDF && (bits & 1) != 0;
                    if (hasCursor && line >= cursorFirst && line <= cursorLast)
                    {
                        bits = 0xFF;
                        ninth = true;
                    }

                    var pixels = frame.Row((row * characterHeight) + line).Slice(column * characterWidth, characterWidth);
                    for (var dot = 0; dot < 8; dot++)
                    {
                        pixels[dot] = (bits & (0x80 >> dot)) != 0 ? foreground : background;
                    }

                    if (characterWidth == 9)
                    {
                        pixels[8] = ninth ? foreground : background;
                    }
                }
            }
        }
    }

    private static void RenderChained256(Frame frame, VgaRegisters registers, ReadOnlySpan<byte> memory)
    {
        var (width, height) = GraphicsSize(registers);
        width /= 2; // eight-bit pixels take two dot clocks
        frame.Resize(width, height);
        var start = StartAddress(registers) * 4;
        var stride = registers.Crtc[LineOffset] * 8;
        Span<uint> colours = stackalloc uint[256];
        for (var index = 0; index < 256; index++)
        {
            colours[index] = DacColour(registers, index, eightBit: false);
        }

        for (var y = 0; y < height; y++)
        {
            var row = frame.Row(y);
            var line = start + (y * stride);
            for (var x = 0; x < width; x++)
            {
                row[x] = line + x < memory.Length ? colours[memory[line + x]] : 0;
            }
        }
    }

    /// <summary>Four planes, one bit of each per pixel, most significant bit leftmost; <paramref name="start"/> and <paramref name="stride"/> in plane bytes.</summary>
    private static void RenderPlanar(Frame frame, VgaRegisters registers, ReadOnlySpan<byte> memory, int width, int height, int start, int stride)
    {
        frame.Resize(width, height);
        var colours = PaletteColours(registers);
        var planes = registers.Attribute[ColourPlaneEnable] & 0x0F;
        for (var y = 0; y < height; y++)
        {
            var row = frame.Row(y);
            for (var x = 0; x < width; x++)
            {
                var address = (start + (y * stride) + (x / 8)) * 4;
                if (address + 3 >= memory.Length)
                {
                    row[x] = 0;
                    continue;
                }

                var bit = 7 - (x % 8);
                var index = 0;
                for (var plane = 0; plane < 4; plane++)
                {
                    index |= (memory[address + plane] >> bit & 1) << plane;
                }

                row[x] = colours[index & planes];
            }
        }
    }

    private static void RenderVbe(Frame frame, VgaRegisters registers, VbeMode mode, ReadOnlySpan<byte> memory)
    {
        if (mode.BitsPerPixel == 4)
        {
            var stride = mode.VirtualWidth / 8;
            RenderPlanar(frame, registers, memory, mode.Width, mode.Height, (mode.YOffset * stride) + (mode.XOffset / 8), stride);
            return;
        }

        frame.Resize(mode.Width, mode.Height);
        var bytesPerPixel = mode.BytesPerPixel;
        for (var y = 0; y < mode.Height; y++)
        {
            var row = frame.Row(y);
            var start = ((mode.YOffset + y) * mode.BytesPerLine) + (mode.XOffset * bytesPerPixel);
            if (start + (mode.Width * bytesPerPixel) > memory.Length)
            {
                row.Clear();
                continue;
            }

            var line = memory.Slice(start, mode.Width * bytesPerPixel);
            if (mode.BitsPerPixel == 32)
            {
                // A row of little-endian words: picking bytes through the switch below took four times as long.
                var words = MemoryMarshal.Cast<byte, uint>(line);
                for (var x = 0; x < mode.Width; x++)
                {
                    row[x] = words[x] & 0xFFFFFF;
                }

                continue;
            }

            for (var x = 0; x < mode.Width; x++)
            {
                var pixel = line.Slice(x * bytesPerPixel, bytesPerPixel);
                row[x] = mode.BitsPerPixel switch
                {
                    8 => DacColour(registers, pixel[0], mode.EightBitDac),
                    15 => FromRgb(BinaryPrimitives.ReadUInt16LittleEndian(pixel), 10, 5, 5, 5, 0, 5),
                    16 => FromRgb(BinaryPrimitives.ReadUInt16LittleEndian(pixel), 11, 5, 5, 6, 0, 5),
                    _ => (uint)(pixel[2] << 16 | pixel[1] << 8 | pixel[0]),
                };
            }
        }
    }

    /// <summary>A packed 15- or 16-bit pixel widened to 8 bits a channel (the top bits repeated into the bottom).</summary>
    private static uint FromRgb(int pixel, int redShift, int redBits, int greenShift, int greenBits, int blueShift, int blueBits)
    {
        static uint Channel(int pixel, int shift, int bits)
        {
            var value = (pixel >> shift) & ((1 << bits) - 1);
            return (uint)((value << (8 - bits)) | (value >> (2 * bits - 8)));
        }

        return Channel(pixel, redShift, redBits) << 16 | Channel(pixel, greenShift, greenBits) << 8 | Channel(pixel, blueShift, blueBits);
    }
}
