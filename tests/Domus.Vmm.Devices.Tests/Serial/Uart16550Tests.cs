using System.Text;
using Domus.Vmm.Devices.Serial;

namespace Domus.Vmm.Devices.Tests.Serial;

public sealed class Uart16550Tests
{
    private const ushort Data = 0, Ier = 1, Iir = 2, Lcr = 3, Mcr = 4, Lsr = 5, Msr = 6, Scratch = 7;
    private readonly FakeInterruptLine _irq = new();
    private readonly RecordingBackend _backend = new();
    private readonly Uart16550 _uart;

    public Uart16550Tests() => _uart = new Uart16550(_irq, _backend);

    [Fact]
    public void WritingThrTransmitsAndTheTransmitterIsAlwaysEmpty()
    {
        foreach (var b in "hi"u8.ToArray())
        {
            _uart.WriteByte(Data, b);
        }

        Assert.Equal("hi", Encoding.ASCII.GetString(_backend.Transmitted.ToArray()));
        Assert.Equal(0x60, _uart.ReadByte(Lsr));
        Assert.False(_irq.Level);
    }

    [Fact]
    public void TheDivisorLatchHidesDataAndIer()
    {
        _uart.WriteByte(Lcr, 0x83);
        _uart.WriteByte(Data, 0x01);
        _uart.WriteByte(Ier, 0x00);
        Assert.Equal(0x01, _uart.ReadByte(Data));
        _uart.WriteByte(Lcr, 0x03);
        Assert.Empty(_backend.Transmitted);
        Assert.Equal(0x03, _uart.ReadByte(Lcr));
    }

    [Fact]
    public void ReceivedDataRaisesTheInterruptUntilRead()
    {
        _uart.WriteByte(Ier, 0x01);
        Assert.Equal(0x01, _uart.ReadByte(Iir));
        _uart.Receive("ab"u8);
        Assert.True(_irq.Level);
        Assert.Equal(0x01, _uart.ReadByte(Lsr) & 0x01);
        Assert.Equal(0x04, _uart.ReadByte(Iir));
        Assert.Equal((byte)'a', _uart.ReadByte(Data));
        Assert.Equal((byte)'b', _uart.ReadByte(Data));
        Assert.False(_irq.Level);
        Assert.Equal(0x00, _uart.ReadByte(Lsr) & 0x01);
    }

    [Fact]
    public void WithTheFifoBelowItsTriggerLevelDataIsACharacterTimeout()
    {
        _uart.WriteByte(Iir, 0xC7);
        _uart.WriteByte(Ier, 0x01);
        _uart.Receive("x"u8);
        Assert.Equal(0xCC, _uart.ReadByte(Iir));
        _uart.Receive(new byte[13]);
        Assert.Equal(0xC4, _uart.ReadByte(Iir));
    }

    [Fact]
    public void EnablingTheTransmitterInterruptRaisesItAndReadingIirClearsIt()
    {
        _uart.WriteByte(Ier, 0x02);
        Assert.True(_irq.Level);
        Assert.Equal(0x02, _uart.ReadByte(Iir));
        Assert.False(_irq.Level);
        _uart.WriteByte(Data, (byte)'z');
        Assert.True(_irq.Level);
        Assert.Equal(2, _irq.RisingEdges);
    }

    [Fact]
    public void OverrunIsALineStatusInterrupt()
    {
        _uart.WriteByte(Ier, 0x05);
        _uart.Receive(new byte[Uart16550.FifoSize + 1]);
        Assert.Equal(0x06, _uart.ReadByte(Iir));
        Assert.Equal(0x03, _uart.ReadByte(Lsr) & 0x03);
        Assert.Equal(0x04, _uart.ReadByte(Iir));
    }

    [Fact]
    public void LoopbackSendsTransmittedBytesBackAndMirrorsModemLines()
    {
        _uart.WriteByte(Mcr, 0x1F);
        _uart.WriteByte(Data, 0x42);
        Assert.Empty(_backend.Transmitted);
        Assert.Equal(0x42, _uart.ReadByte(Data));
        Assert.Equal(0xF0, _uart.ReadByte(Msr) & 0xF0);
        _uart.WriteByte(Mcr, 0x10);
        Assert.Equal(0x0B, _uart.ReadByte(Msr) & 0x0F);
        Assert.Equal(0x00, _uart.ReadByte(Msr) & 0x0F);
    }

    [Fact]
    public void ScratchAndWideAccesses()
    {
        _uart.WriteByte(Scratch, 0x5A);
        Assert.Equal(0x5A, _uart.ReadByte(Scratch));
        var wide = new byte[2];
        _uart.Read(Data, wide);
        Assert.Equal([0xFF, 0xFF], wide);
        _uart.Write(Data, [1, 2]);
        Assert.Empty(_backend.Transmitted);
    }
}
