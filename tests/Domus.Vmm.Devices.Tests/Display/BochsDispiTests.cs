using System.Buffers.Binary;
using Domus.Vmm.Devices.Bus;
using Domus.Vmm.Devices.Display;

namespace Domus.Vmm.Devices.Tests.Display;

public sealed class BochsDispiTests : IDisposable
{
    private readonly StdVga _vga = new(StdVga.DefaultVideoMemorySize);
    private readonly AddressBus<IPortIoDevice> _ports = new();

    public BochsDispiTests() => _ports.Register(new BusRange(BochsDispi.PortBase, BochsDispi.PortCount), _vga.Dispi);

    public void Dispose() => _vga.Dispose();

    /// <summary>Word accesses at 0x1CE and 0x1CF through the port bus, as SeaVGABIOS makes them.</summary>
    private ushort ReadRegister(ushort index)
    {
        PortWrite(BochsDispi.PortBase, index);
        var (device, offset) = Port(BochsDispi.PortBase + 1);
        Span<byte> data = stackalloc byte[2];
        device.Read(offset, data);
        return BinaryPrimitives.ReadUInt16LittleEndian(data);
    }

    private void WriteRegister(ushort index, ushort value)
    {
        PortWrite(BochsDispi.PortBase, index);
        PortWrite(BochsDispi.PortBase + 1, value);
    }

    private void PortWrite(int port, ushort value)
    {
        var (device, offset) = Port(port);
        device.Write(offset, Word(value));
    }

    private (IPortIoDevice Device, ushort Offset) Port(int port)
    {
        Assert.True(_ports.TryResolve((ulong)port, 2, out var device, out var offset), $"a word at port {port:x} decodes nothing");
        return (device, (ushort)offset);
    }

    [Fact]
    public void SeaVgaBiosFindsTheInterfaceAndItsMemory()
    {
        WriteRegister(BochsDispi.IndexId, BochsDispi.Id0);
        Assert.Equal(BochsDispi.Id0, ReadRegister(BochsDispi.IndexId));
        WriteRegister(BochsDispi.IndexId, BochsDispi.Id5);
        Assert.Equal(BochsDispi.Id5, ReadRegister(BochsDispi.IndexId));
        WriteRegister(BochsDispi.IndexId, 0x1234);
        Assert.Equal(BochsDispi.Id5, ReadRegister(BochsDispi.IndexId));
        Assert.Equal(256, ReadRegister(BochsDispi.IndexVideoMemory64K));
    }

    [Fact]
    public void GetCapabilitiesReportsTheMaxima()
    {
        WriteRegister(BochsDispi.IndexXResolution, 1024);
        WriteRegister(BochsDispi.IndexEnable, BochsDispi.GetCapabilities);
        Assert.Equal(BochsDispi.MaxXResolution, ReadRegister(BochsDispi.IndexXResolution));
        Assert.Equal(BochsDispi.MaxYResolution, ReadRegister(BochsDispi.IndexYResolution));
        Assert.Equal(BochsDispi.MaxBitsPerPixel, ReadRegister(BochsDispi.IndexBitsPerPixel));
        WriteRegister(BochsDispi.IndexEnable, 0);
        Assert.Equal(1024, ReadRegister(BochsDispi.IndexXResolution));
    }

    [Fact]
    public void EnablingAModeClearsItsMemoryUnlessToldNotTo()
    {
        _vga.VideoMemory.Span.Fill(0xAA);
        SetMode(800, 600, 32, BochsDispi.NoClearMemory);
        Assert.Equal(0xAA, _vga.VideoMemory.Span[0]);
        WriteRegister(BochsDispi.IndexEnable, 0);
        SetMode(800, 600, 32, 0);
        Assert.True(_vga.VideoMemory.Span[..(800 * 600 * 4)].IndexOfAnyExcept((byte)0) < 0);
        Assert.Equal(0xAA, _vga.VideoMemory.Span[800 * 600 * 4]);
    }

    [Fact]
    public void EnablingSetsTheVirtualScreenFromTheModeAndVideoMemory()
    {
        SetMode(1024, 768, 16, 0);
        Assert.Equal(1024, ReadRegister(BochsDispi.IndexVirtualWidth));
        Assert.Equal(StdVga.DefaultVideoMemorySize / 2048, ReadRegister(BochsDispi.IndexVirtualHeight));
        WriteRegister(BochsDispi.IndexVirtualWidth, 2048);
        Assert.Equal(StdVga.DefaultVideoMemorySize / 4096, ReadRegister(BochsDispi.IndexVirtualHeight));
        WriteRegister(BochsDispi.IndexVirtualWidth, 512);
        Assert.Equal(2048, ReadRegister(BochsDispi.IndexVirtualWidth));
        WriteRegister(BochsDispi.IndexYOffset, 768);
        Assert.Equal(768, ReadRegister(BochsDispi.IndexYOffset));
    }

    [Theory]
    [InlineData(BochsDispi.IndexXResolution, 801)]
    [InlineData(BochsDispi.IndexXResolution, 4096)]
    [InlineData(BochsDispi.IndexBitsPerPixel, 12)]
    [InlineData(BochsDispi.IndexBank, 256)]
    public void ValuesNoModeCanHaveAreIgnored(ushort index, ushort value)
    {
        var before = ReadRegister(index);
        WriteRegister(index, value);
        Assert.Equal(before, ReadRegister(index));
    }

    [Fact]
    public void TheBankMovesTheWindowOverVideoMemory()
    {
        SetMode(640, 480, 8, BochsDispi.NoClearMemory);
        var io = new VgaProgrammer(_vga);
        io.OutIndexed(VgaProgrammer.Sequencer, 0x04, 0x0E);
        io.OutIndexed(VgaProgrammer.Sequencer, 0x02, 0x0F);
        io.OutIndexed(VgaProgrammer.Graphics, 0x06, 0x05);
        WriteRegister(BochsDispi.IndexBank, 3);
        io.WriteWindow(0xA0010, 0x77);
        Assert.Equal(0x77, _vga.VideoMemory.Span[(3 << 16) + 0x10]);
    }

    private static byte[] Word(ushort value) => [(byte)value, (byte)(value >> 8)];

    private void SetMode(ushort width, ushort height, ushort bitsPerPixel, ushort flags)
    {
        WriteRegister(BochsDispi.IndexBitsPerPixel, bitsPerPixel);
        WriteRegister(BochsDispi.IndexXResolution, width);
        WriteRegister(BochsDispi.IndexYResolution, height);
        WriteRegister(BochsDispi.IndexBank, 0);
        WriteRegister(BochsDispi.IndexEnable, (ushort)(BochsDispi.Enabled | BochsDispi.LinearFramebuffer | flags));
    }
}
