using Domus.Vmm.Backends.Input;
using Domus.Vmm.Devices.Input;

namespace Domus.Vmm.Devices.Tests.Input;

public sealed class I8042ControllerTests
{
    private const ushort Data = 0, Command = 4;
    private readonly FakeInterruptLine _irq1 = new();
    private readonly FakeInterruptLine _irq12 = new();
    private readonly I8042Controller _controller;
    private int _resets;

    public I8042ControllerTests()
    {
        _controller = new I8042Controller(_irq1, _irq12, () => _resets++);
    }

    [Fact]
    public void SelfTestAnswers55AndTheInterfaceTestsPass()
    {
        _controller.WriteByte(Command, 0xAA);
        Assert.Equal([0x55], Drain());
        Assert.NotEqual(0, _controller.ReadByte(Command) & 0x04);
        _controller.WriteByte(Command, 0xAB);
        _controller.WriteByte(Command, 0xA9);
        Assert.Equal([0x00, 0x00], Drain());
    }

    [Fact]
    public void TheCommandByteReadsBackWhatWasWritten()
    {
        _controller.WriteByte(Command, 0x20);
        Assert.Equal([0x47], Drain());
        _controller.WriteByte(Command, 0x60);
        _controller.WriteByte(Data, 0x61);
        _controller.WriteByte(Command, 0x20);
        Assert.Equal([0x61], Drain());
    }

    [Fact]
    public void AKeyArrivesTranslatedToSet1WithIrq1UntilRead()
    {
        _controller.SendKey(0x1E, pressed: true);
        Assert.True(_irq1.Level);
        Assert.Equal(0x01, _controller.ReadByte(Command) & 0x21);
        Assert.Equal(0x1E, _controller.ReadByte(Data));
        Assert.False(_irq1.Level);
        _controller.SendKey(0x1E, pressed: false);
        Assert.Equal([0x9E], Drain());
        Assert.False(_irq12.Level);
    }

    [Fact]
    public void EachQueuedByteRaisesIrq1Anew()
    {
        _controller.SendKey(0x2D, pressed: true);
        _controller.SendKey(0x2D, pressed: false);
        _controller.SendKey(0x15, pressed: true);
        Assert.Equal(1, _irq1.RisingEdges);
        Assert.Equal([0x2D, 0xAD, 0x15], Drain());
        Assert.Equal(3, _irq1.RisingEdges);
        Assert.False(_irq1.Level);
    }

    [Fact]
    public void WithoutTranslationKeysComeInSet2()
    {
        _controller.WriteByte(Command, 0x60);
        _controller.WriteByte(Data, 0x03);
        _controller.SendKey(0x1E, pressed: true);
        _controller.SendKey(0x1E, pressed: false);
        _controller.SendKey(0xE048, pressed: true);
        _controller.SendKey(0xE048, pressed: false);
        Assert.Equal([0x1C, 0xF0, 0x1C, 0xE0, 0x75, 0xE0, 0xF0, 0x75], Drain());
    }

    [Fact]
    public void ExtendedKeysKeepTheirPrefixThroughTranslation()
    {
        _controller.SendKey(0xE048, pressed: true);
        _controller.SendKey(0xE048, pressed: false);
        _controller.SendKey(0x3B, pressed: true);
        Assert.Equal([0xE0, 0x48, 0xE0, 0xC8, 0x3B], Drain());
    }

    [Fact]
    public void KeyboardResetIdentifyAndScancodeSetAreAnswered()
    {
        _controller.WriteByte(Data, 0xFF);
        Assert.Equal([0xFA, 0xAA], Drain());
        _controller.WriteByte(Data, 0xF2);
        Assert.Equal([0xFA, 0xAB, 0x41], Drain());
        _controller.WriteByte(Data, 0xF0);
        _controller.WriteByte(Data, 0x00);
        Assert.Equal([0xFA, 0xFA, 0x41], Drain());
        _controller.WriteByte(Data, 0xF0);
        _controller.WriteByte(Data, 0x01);
        Assert.Equal([0xFA, 0xFA], Drain());
        _controller.SendKey(0x10, pressed: false);
        Assert.Equal([0x90], Drain());
        _controller.WriteByte(Data, 0x42);
        Assert.Equal([0xFE], Drain());
    }

    [Fact]
    public void LedsAreSetAndADisabledKeyboardSendsNothing()
    {
        _controller.WriteByte(Data, 0xED);
        _controller.WriteByte(Data, 0x07);
        Assert.Equal([0xFA, 0xFA], Drain());
        Assert.Equal(7, _controller.KeyboardLeds);
        _controller.WriteByte(Data, 0xF5);
        _controller.SendKey(0x1E, pressed: true);
        _controller.WriteByte(Data, 0xF4);
        _controller.SendKey(0x1F, pressed: true);
        Assert.Equal([0xFA, 0xFA, 0x1F], Drain());
    }

    [Fact]
    public void ADisabledKeyboardInterfaceHoldsKeysUntilEnabled()
    {
        _controller.WriteByte(Command, 0xAD);
        _controller.SendKey(0x1E, pressed: true);
        Assert.Equal(0, _controller.ReadByte(Command) & 0x01);
        _controller.WriteByte(Command, 0xAE);
        Assert.Equal([0x1E], Drain());
    }

    [Fact]
    public void TheMouseAnswersThroughTheAuxPortAndStreamsPackets()
    {
        _controller.WriteByte(Command, 0xD4);
        _controller.WriteByte(Data, 0xF4);
        Assert.True(_irq12.Level);
        Assert.False(_irq1.Level);
        Assert.Equal(0x21, _controller.ReadByte(Command) & 0x21);
        Assert.Equal([0xFA], Drain());

        _controller.SendPointer(5, 3, 0, PointerButtons.Left);
        Assert.Equal([0x08 | 0x20 | 0x01, 5, 0xFD], Drain());
        _controller.SendPointer(-300, 0, 0, PointerButtons.None);
        Assert.Equal([0x08 | 0x10, 0x00, 0x00, 0x08 | 0x10, 0xD4, 0x00], Drain());
    }

    [Fact]
    public void TheMouseIsSilentUntilEnabledAndWhileItsPortIsDisabled()
    {
        _controller.SendPointer(1, 1, 0, PointerButtons.None);
        Assert.Empty(Drain());
        _controller.WriteByte(Command, 0xD4);
        _controller.WriteByte(Data, 0xF4);
        _ = Drain();
        _controller.WriteByte(Command, 0xA7);
        _controller.SendPointer(1, 0, 0, PointerButtons.None);
        Assert.Empty(Drain());
        _controller.WriteByte(Command, 0xA8);
        Assert.Equal([0x08, 1, 0], Drain());
    }

    [Fact]
    public void TheIntelliMouseKnockAddsTheWheel()
    {
        foreach (var rate in new byte[] { 200, 100, 80 })
        {
            SendToMouse(0xF3);
            SendToMouse(rate);
        }

        SendToMouse(0xF2);
        SendToMouse(0xF4);
        Assert.Equal([0xFA, 0xFA, 0xFA, 0xFA, 0xFA, 0xFA, 0xFA, 0x03, 0xFA], Drain());
        _controller.SendPointer(0, 0, 1, PointerButtons.None);
        Assert.Equal([0x08, 0, 0, 0x01], Drain());
    }

    [Fact]
    public void InRemoteModeMovementWaitsForReadData()
    {
        SendToMouse(0xF0);
        _controller.SendPointer(2, -1, 0, PointerButtons.Right);
        Assert.Equal([0xFA], Drain());
        SendToMouse(0xEB);
        Assert.Equal([0xFA, 0x08 | 0x02, 2, 1], Drain());
    }

    [Fact]
    public void MouseResetAnswersAckSelfTestAndId()
    {
        SendToMouse(0xFF);
        Assert.Equal([0xFA, 0xAA, 0x00], Drain());
    }

    [Fact]
    public void PulsingTheResetLineResetsTheMachine()
    {
        _controller.WriteByte(Command, 0xFE);
        Assert.Equal(1, _resets);
        _controller.WriteByte(Command, 0xFF);
        Assert.Equal(1, _resets);
    }

    [Fact]
    public void TheOutputPortCarriesA20AndTheResetLine()
    {
        _controller.WriteByte(Command, 0xD1);
        _controller.WriteByte(Data, 0xDD);
        Assert.False(_controller.A20Enabled);
        Assert.Equal(0, _resets);
        _controller.WriteByte(Command, 0xD1);
        _controller.WriteByte(Data, 0xDF);
        Assert.True(_controller.A20Enabled);
        _controller.WriteByte(Command, 0xD0);
        Assert.Equal([0xDF], Drain());
        _controller.WriteByte(Command, 0xD1);
        _controller.WriteByte(Data, 0xDE);
        Assert.Equal(1, _resets);
    }

    [Fact]
    public void WithTheKeyboardInterruptOffThereIsNoIrq1()
    {
        _controller.WriteByte(Command, 0x60);
        _controller.WriteByte(Data, 0x44);
        _controller.SendKey(0x1E, pressed: true);
        Assert.False(_irq1.Level);
        Assert.Equal([0x1E], Drain());
    }

    [Fact]
    public void OtherWidthsAreIgnored()
    {
        _controller.Write(Command, [0xFE, 0x00]);
        Span<byte> word = stackalloc byte[2];
        _controller.Read(Data, word);
        Assert.Equal(0, _resets);
        Assert.Equal(0xFF, word[0]);
    }

    private void SendToMouse(byte value)
    {
        _controller.WriteByte(Command, 0xD4);
        _controller.WriteByte(Data, value);
    }

    private List<byte> Drain()
    {
        var bytes = new List<byte>();
        while ((_controller.ReadByte(Command) & 0x01) != 0)
        {
            bytes.Add(_controller.ReadByte(Data));
        }

        return bytes;
    }
}
