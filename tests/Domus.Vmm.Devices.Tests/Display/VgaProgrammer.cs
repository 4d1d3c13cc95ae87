using Domus.Vmm.Devices.Display;

namespace Domus.Vmm.Devices.Tests.Display;

/// <summary>
/// Drives the standard VGA through its ports and window the way SeaVGABIOS' mode set does: attribute controller,
/// sequencer, graphics controller, CRTC (unprotected first), misc output, then video on; register values are
/// the VGA's standard ones for modes 3, 12h and 13h.
/// </summary>
public sealed class VgaProgrammer(StdVga vga)
{
    public const ushort Attribute = 0x3C0, Misc = 0x3C2, Sequencer = 0x3C4, PelMask = 0x3C6, DacWrite = 0x3C8, DacData = 0x3C9;
    public const ushort Graphics = 0x3CE, Crtc = 0x3D4, Status = 0x3DA;

    private static readonly byte[] Crtc03 =
    [
        0x5f, 0x4f, 0x50, 0x82, 0x55, 0x81, 0xbf, 0x1f, 0x00, 0x4f, 0x0d, 0x0e, 0x00, 0x00, 0x00, 0x00,
        0x9c, 0x8e, 0x8f, 0x28, 0x1f, 0x96, 0xb9, 0xa3, 0xff,
    ];

    private static readonly byte[] Crtc12 =
    [
        0x5f, 0x4f, 0x50, 0x82, 0x54, 0x80, 0x0b, 0x3e, 0x00, 0x40, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0xea, 0x8c, 0xdf, 0x28, 0x00, 0xe7, 0x04, 0xe3, 0xff,
    ];

    private static readonly byte[] Crtc13 =
    [
        0x5f, 0x4f, 0x50, 0x82, 0x54, 0x80, 0xbf, 0x1f, 0x00, 0x41, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x9c, 0x8e, 0x8f, 0x28, 0x40, 0x96, 0xb9, 0xa3, 0xff,
    ];

    private static readonly byte[] EgaAttributes = [0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x14, 0x07, 0x38, 0x39, 0x3a, 0x3b, 0x3c, 0x3d, 0x3e, 0x3f];

    public void SetText80x25() =>
        SetMode([.. EgaAttributes, 0x0c, 0x00, 0x0f, 0x08], [0x00, 0x03, 0x00, 0x02], [0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x0e, 0x0f, 0xff], Crtc03, 0x67);

    public void SetPlanar640x480() =>
        SetMode([.. EgaAttributes, 0x01, 0x00, 0x0f, 0x00], [0x01, 0x0f, 0x00, 0x06], [0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x0f, 0xff], Crtc12, 0xe3);

    public void SetChained320x200() =>
        SetMode([0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x41, 0x00, 0x0f, 0x00], [0x01, 0x0f, 0x00, 0x0e], [0x00, 0x00, 0x00, 0x00, 0x00, 0x40, 0x05, 0x0f, 0xff], Crtc13, 0x63);

    public void Out(ushort port, byte value) => vga.Ports.WriteByte((ushort)(port - VgaRegisters.PortBase), value);

    public byte In(ushort port) => vga.Ports.ReadByte((ushort)(port - VgaRegisters.PortBase));

    /// <summary>An index and its data in one 16-bit write, as <c>out dx, ax</c> does.</summary>
    public void OutIndexed(ushort port, byte index, byte value) => vga.Ports.Write((ushort)(port - VgaRegisters.PortBase), [index, value]);

    public void SetDac(int index, byte red, byte green, byte blue)
    {
        Out(DacWrite, (byte)index);
        Out(DacData, red);
        Out(DacData, green);
        Out(DacData, blue);
    }

    public void WriteWindow(uint address, params byte[] data) => vga.LegacyWindow.Write(address - VgaMemoryWindow.WindowBase, data);

    public byte ReadWindow(uint address)
    {
        Span<byte> data = stackalloc byte[1];
        vga.LegacyWindow.Read(address - VgaMemoryWindow.WindowBase, data);
        return data[0];
    }

    /// <summary>Loads 256 glyphs of <paramref name="height"/> lines into plane 2, 32 bytes apart, as the BIOS' font access does.</summary>
    public void LoadFont(Func<int, int, byte> glyphLine, int height)
    {
        OutIndexed(Sequencer, 0x02, 0x04);
        OutIndexed(Sequencer, 0x04, 0x07);
        OutIndexed(Graphics, 0x04, 0x02);
        OutIndexed(Graphics, 0x05, 0x00);
        OutIndexed(Graphics, 0x06, 0x04);
        for (var character = 0; character < 256; character++)
        {
            for (var line = 0; line < height; line++)
            {
                WriteWindow((uint)(0xA0000 + (character * 32) + line), glyphLine(character, line));
            }
        }

        OutIndexed(Sequencer, 0x02, 0x03);
        OutIndexed(Sequencer, 0x04, 0x03);
        OutIndexed(Graphics, 0x04, 0x00);
        OutIndexed(Graphics, 0x05, 0x10);
        OutIndexed(Graphics, 0x06, 0x0e);
    }

    private void SetMode(byte[] attributes, byte[] sequencer, byte[] graphics, byte[] crtc, byte misc)
    {
        _ = In(Status);
        for (var i = 0; i < attributes.Length; i++)
        {
            Out(Attribute, (byte)i);
            Out(Attribute, attributes[i]);
        }

        Out(Attribute, 0x14);
        Out(Attribute, 0x00);
        OutIndexed(Sequencer, 0x00, 0x03);
        for (var i = 0; i < sequencer.Length; i++)
        {
            OutIndexed(Sequencer, (byte)(i + 1), sequencer[i]);
        }

        for (var i = 0; i < graphics.Length; i++)
        {
            OutIndexed(Graphics, (byte)i, graphics[i]);
        }

        OutIndexed(Crtc, 0x11, 0x00);
        for (var i = 0; i < crtc.Length; i++)
        {
            OutIndexed(Crtc, (byte)i, crtc[i]);
        }

        Out(Misc, misc);
        Out(Attribute, 0x20);
    }
}
