using Domus.Vmm.Devices.Display;

namespace Domus.Vmm.Devices.Tests.Display;

public sealed class StdVgaTests : IDisposable
{
    private readonly StdVga _vga = new(1 << 20);
    private readonly VgaProgrammer _io;

    public StdVgaTests()
    {
        _io = new VgaProgrammer(_vga);
    }

    public void Dispose() => _vga.Dispose();

    [Fact]
    public void IndexedRegistersReadBackWhatAWordWriteSet()
    {
        _io.OutIndexed(VgaProgrammer.Sequencer, 0x02, 0x0A);
        _io.OutIndexed(VgaProgrammer.Graphics, 0x08, 0x5A);
        _io.OutIndexed(VgaProgrammer.Crtc, 0x13, 0x28);
        _io.Out(VgaProgrammer.Sequencer, 0x02);
        Assert.Equal(0x0A, _io.In(0x3C5));
        _io.Out(VgaProgrammer.Graphics, 0x08);
        Assert.Equal(0x5A, _io.In(0x3CF));
        _io.Out(VgaProgrammer.Crtc, 0x13);
        Assert.Equal(0x28, _io.In(0x3D5));
    }

    [Fact]
    public void MiscOutputChoosesBetweenColourAndMonoCrtcPorts()
    {
        _io.Out(VgaProgrammer.Misc, 0x66);
        Assert.Equal(0x66, _io.In(0x3CC));
        _io.OutIndexed(0x3B4, 0x0E, 0x12);
        _io.OutIndexed(VgaProgrammer.Crtc, 0x0E, 0x34);
        _io.Out(0x3B4, 0x0E);
        Assert.Equal(0x12, _io.In(0x3B5));
        Assert.Equal(0xFF, _io.In(0x3D5));
    }

    [Fact]
    public void CrtcProtectionKeepsTheTimingRegistersButTheLineCompareBit()
    {
        _io.OutIndexed(VgaProgrammer.Crtc, 0x01, 0x4F);
        _io.OutIndexed(VgaProgrammer.Crtc, 0x11, 0x80);
        _io.OutIndexed(VgaProgrammer.Crtc, 0x01, 0x27);
        _io.OutIndexed(VgaProgrammer.Crtc, 0x07, 0x1F);
        _io.Out(VgaProgrammer.Crtc, 0x01);
        Assert.Equal(0x4F, _io.In(0x3D5));
        _io.Out(VgaProgrammer.Crtc, 0x07);
        Assert.Equal(0x10, _io.In(0x3D5));
    }

    [Fact]
    public void TheAttributeFlipFlopAlternatesAndReadingStatusResetsIt()
    {
        _ = _io.In(VgaProgrammer.Status);
        _io.Out(VgaProgrammer.Attribute, 0x05);
        _io.Out(VgaProgrammer.Attribute, 0x3A);
        _io.Out(VgaProgrammer.Attribute, 0x05); // an index again: the flip-flop has turned
        _ = _io.In(VgaProgrammer.Status);
        _io.Out(VgaProgrammer.Attribute, 0x25);
        Assert.Equal(0x25, _io.In(0x3C0));
        Assert.Equal(0x3A, _io.In(0x3C1));
    }

    [Fact]
    public void StatusAlternatesRetraceSoThatPollingLoopsEnd()
    {
        var first = _io.In(VgaProgrammer.Status) & 0x08;
        var second = _io.In(VgaProgrammer.Status) & 0x08;
        Assert.NotEqual(first, second);
    }

    [Fact]
    public void TheDacTakesThreeComponentsPerEntryAndReadsThemBack()
    {
        _io.SetDac(7, 0x10, 0x20, 0x30);
        _io.SetDac(8, 0x3F, 0x00, 0x01);
        Assert.Equal(9, _io.In(0x3C8));
        _io.Out(0x3C7, 7);
        Assert.Equal(0x03, _io.In(0x3C7));
        Assert.Equal([0x10, 0x20, 0x30, 0x3F, 0x00, 0x01], Enumerable.Range(0, 6).Select(_ => _io.In(0x3C9)).ToArray());
    }

    [Fact]
    public void OddEvenPutsCharactersInPlaneZeroAndAttributesInPlaneOne()
    {
        _io.SetText80x25();
        _io.WriteWindow(0xB8000, (byte)'A', 0x1F, (byte)'B', 0x2E);
        var memory = _vga.VideoMemory.Span;
        Assert.Equal([(byte)'A', 0x1F], memory[0..2].ToArray());
        Assert.Equal([(byte)'B', 0x2E], memory[4..6].ToArray());
        Assert.Equal((byte)'B', _io.ReadWindow(0xB8002));
        Assert.Equal(0x2E, _io.ReadWindow(0xB8003));
    }

    [Fact]
    public void TheMemoryMapSelectHidesTheOtherPartsOfTheWindow()
    {
        _io.SetText80x25();
        _io.WriteWindow(0xA0000, 0x55);
        _io.WriteWindow(0xB0000, 0x55);
        Assert.Equal(0xFF, _io.ReadWindow(0xA0000));
        Assert.True(_vga.VideoMemory.Span.IndexOfAnyExcept((byte)0) < 0);
    }

    [Fact]
    public void Chain4AddressesVideoMemoryByteForByte()
    {
        _io.SetChained320x200();
        _io.WriteWindow(0xA0000 + 321, 0x42);
        Assert.Equal(0x42, _vga.VideoMemory.Span[321]);
        Assert.Equal(0x42, _io.ReadWindow(0xA0000 + 321));
    }

    [Fact]
    public void MapMaskSelectsThePlanesAWriteReaches()
    {
        _io.SetPlanar640x480();
        _io.OutIndexed(VgaProgrammer.Sequencer, 0x02, 0x05);
        _io.WriteWindow(0xA0010, 0xC3);
        Assert.Equal([0xC3, 0x00, 0xC3, 0x00], _vga.VideoMemory.Span.Slice(0x10 * 4, 4).ToArray());
    }

    [Fact]
    public void WriteModeTwoWithABitMaskSetsOnePixelToAColour()
    {
        _io.SetPlanar640x480();
        _io.OutIndexed(VgaProgrammer.Graphics, 0x05, 0x02);
        _io.OutIndexed(VgaProgrammer.Graphics, 0x08, 0x20);
        _ = _io.ReadWindow(0xA0000); // load the latches, as the BIOS' pixel routine does
        _io.WriteWindow(0xA0000, 0x0B);
        Assert.Equal([0x20, 0x20, 0x00, 0x20], _vga.VideoMemory.Span[..4].ToArray());
    }

    [Fact]
    public void WriteModeZeroRotatesAndCombinesWithTheLatches()
    {
        _io.SetPlanar640x480();
        _io.WriteWindow(0xA0000, 0xF0);
        _ = _io.ReadWindow(0xA0000);
        _io.OutIndexed(VgaProgrammer.Graphics, 0x03, 0x18 | 0x04); // XOR, rotate right by 4
        _io.WriteWindow(0xA0000, 0xFF);
        Assert.Equal([0x0F, 0x0F, 0x0F, 0x0F], _vga.VideoMemory.Span[..4].ToArray());
    }

    [Fact]
    public void WriteModeOneCopiesTheLatches()
    {
        _io.SetPlanar640x480();
        new byte[] { 0x11, 0x22, 0x33, 0x44 }.CopyTo(_vga.VideoMemory.Span);
        _ = _io.ReadWindow(0xA0000);
        _io.OutIndexed(VgaProgrammer.Graphics, 0x05, 0x01);
        _io.WriteWindow(0xA0001, 0x00);
        Assert.Equal([0x11, 0x22, 0x33, 0x44], _vga.VideoMemory.Span[4..8].ToArray());
    }

    [Fact]
    public void WriteModeThreeUsesSetResetUnderTheRotatedDataAsMask()
    {
        _io.SetPlanar640x480();
        _io.OutIndexed(VgaProgrammer.Graphics, 0x00, 0x06);
        _io.OutIndexed(VgaProgrammer.Graphics, 0x05, 0x03);
        _ = _io.ReadWindow(0xA0000);
        _io.WriteWindow(0xA0000, 0x81);
        Assert.Equal([0x00, 0x81, 0x81, 0x00], _vga.VideoMemory.Span[..4].ToArray());
    }

    [Fact]
    public void ReadModeZeroReadsTheSelectedPlaneAndModeOneComparesColours()
    {
        _io.SetPlanar640x480();
        new byte[] { 0xF0, 0x0F, 0xFF, 0x00 }.CopyTo(_vga.VideoMemory.Span);
        _io.OutIndexed(VgaProgrammer.Graphics, 0x04, 0x01);
        Assert.Equal(0x0F, _io.ReadWindow(0xA0000));
        _io.OutIndexed(VgaProgrammer.Graphics, 0x05, 0x08);
        _io.OutIndexed(VgaProgrammer.Graphics, 0x02, 0x05); // colour 0101: planes 0 and 2
        _io.OutIndexed(VgaProgrammer.Graphics, 0x07, 0x0F);
        Assert.Equal(0xF0, _io.ReadWindow(0xA0000));
        _io.OutIndexed(VgaProgrammer.Graphics, 0x07, 0x00);
        Assert.Equal(0xFF, _io.ReadWindow(0xA0000));
    }

    [Fact]
    public void WindowWritesMarkTheirPagesDirty()
    {
        _io.SetChained320x200();
        Span<ulong> dirty = stackalloc ulong[4];
        _vga.VideoMemory.TakeDirtyPages(dirty);
        dirty.Clear();
        _io.WriteWindow(0xA0000 + 0x2345, 1);
        Assert.True(_vga.VideoMemory.TakeDirtyPages(dirty));
        Assert.Equal(1UL << 2, dirty[0]);
    }

    [Fact]
    public void BadAddressesAndWidthsAreIgnored()
    {
        _io.SetPlanar640x480();
        _vga.LegacyWindow.Write(0x30000, [1, 2]);
        Span<byte> data = stackalloc byte[8];
        _vga.LegacyWindow.Read(0x1FFFE, data);
        _vga.Ports.Write(0x2F, [1, 2, 3, 4]);
        _vga.Dispi.Write(1, [1, 2, 3]);
        _vga.Dispi.Read(1, data);
        Assert.Equal(0xFF, _io.ReadWindow(0xB0000));
    }
}
