using System.Buffers.Binary;
using System.IO.Hashing;
using Domus.Tests.Networking;
using Domus.Vmm.Devices.Network;
using Domus.Vmm.Memory;

namespace Domus.Vmm.Devices.Tests.Network;

public sealed class PcnetControllerTests : IDisposable
{
    private static readonly byte[] Mac = [0x00, 0x16, 0x3E, 0x12, 0x34, 0x56];
    private readonly GuestMemory _memory = new();
    private readonly FakeInterruptLine _interrupt = new();
    private readonly RecordingNetwork _network = new();
    private readonly PcnetController _card;

    public PcnetControllerTests()
    {
        _memory.Add(0, 1 << 20);
        _card = new PcnetController(Mac, _memory, _interrupt, _network);
    }

    public void Dispose() => _memory.Dispose();

    private PcnetGuestDriver Driver(int style = 2) => new(_card, _memory, style);

    [Fact]
    public void TheCardIdentifiesItselfAsLinuxProbesIt()
    {
        var driver = Driver();
        driver.Reset();
        Assert.Equal(0x0004, driver.ReadCsr(0));
        driver.WriteCsr(0, 0);
        _card.Write(0x12, [88, 0]);
        Span<byte> rap = stackalloc byte[2];
        _card.Read(0x12, rap);
        Assert.Equal(88, BinaryPrimitives.ReadUInt16LittleEndian(rap));
        var chip = driver.ReadCsr(88) | (driver.ReadCsr(89) << 16);
        Assert.Equal(0x003, chip & 0xFFF);
        Assert.Equal(0x2621, (chip >> 12) & 0xFFFF);

        Span<byte> prom = stackalloc byte[16];
        _card.Read(0, prom);
        Assert.Equal(Mac, prom[..6].ToArray());
        Assert.Equal("WW"u8.ToArray(), prom[14..].ToArray());
        Assert.Equal(0x1600, driver.ReadCsr(12));
        Assert.Equal(0x123E, driver.ReadCsr(13));
        Assert.Equal(0x5634, driver.ReadCsr(14));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(3)]
    public void InitializationReadsTheBlockAndSignalsIdon(int style)
    {
        var driver = Driver(style);
        Assert.True(driver.Initialize(Mac));
        Assert.Equal(style is 2 or 3 ? 0x0100 | style : style, driver.ReadBcr(20));
        Assert.Equal(PcnetGuestDriver.ReceiveRing, (ulong)(driver.ReadCsr(24) | (driver.ReadCsr(25) << 16)));
        Assert.Equal(unchecked((ushort)-PcnetGuestDriver.ReceiveCount), driver.ReadCsr(76));
        Assert.Equal(unchecked((ushort)-PcnetGuestDriver.TransmitCount), driver.ReadCsr(78));
        Assert.False(_interrupt.Level);

        driver.WriteCsr(0, 0x0040);
        Assert.True(_interrupt.Level);
        Assert.Equal(0x0080, driver.ReadCsr(0) & 0x0080);
        driver.WriteCsr(3, 0x0100);
        Assert.False(_interrupt.Level);
        driver.WriteCsr(3, 0);
        driver.WriteCsr(0, 0x0140);
        Assert.False(_interrupt.Level);
        Assert.Equal(0, driver.ReadCsr(0) & 0x0100);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(2, 1)]
    [InlineData(2, 3)]
    [InlineData(3, 2)]
    public void FramesInTheTransmitRingAreSentWholeAndGivenBack(int style, int pieces)
    {
        var driver = Driver(style);
        Assert.True(driver.Initialize(Mac));
        driver.Start();
        Assert.Equal(0x0030, driver.ReadCsr(0) & 0x0030);
        var frame = Frame([0x00, 0x16, 0x3E, 0x99, 0x99, 0x99], Mac, 300, 0x5A);

        driver.Send(frame, pieces);

        Assert.Equal(frame, Assert.Single(_network.Sent));
        for (var i = 0; i < pieces; i++)
        {
            Assert.Equal(0, driver.TransmitStatus(i) & 0x8000);
        }

        Assert.Equal(0x0200, driver.ReadCsr(0) & 0x0200);
        Assert.True(_interrupt.Level);
        driver.WriteCsr(0, 0x0340);
        Assert.False(_interrupt.Level);

        driver.Send(frame);
        Assert.Equal(2, _network.Sent.Count);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(3)]
    public void AFrameForTheCardLandsInTheReceiveRingWithItsFcsAndStatus(int style)
    {
        var driver = Driver(style);
        Assert.True(driver.Initialize(Mac));
        driver.Start();
        var frame = Frame(Mac, [0x02, 0, 0, 0, 0, 1], 20, 0x11);

        _card.Receive(frame);

        var (received, status, fcs) = driver.TakeReceived()!.Value;
        Assert.Equal(0x0300, status & 0xFF00);
        var padded = frame.Concat(new byte[60 - frame.Length]).ToArray();
        Assert.Equal(padded, received);
        Assert.Equal(Crc32.HashToUInt32(padded), BinaryPrimitives.ReadUInt32LittleEndian(fcs));
        Assert.Equal(0x0400, driver.ReadCsr(0) & 0x0400);
        Assert.True(_interrupt.Level);
        Assert.Null(driver.TakeReceived());
    }

    [Fact]
    public void TheAddressFiltersTakeWhatTheyShould()
    {
        var driver = Driver();
        byte[] multicast = [0x01, 0x00, 0x5E, 0x00, 0x00, 0xFB];
        var hash = ~Crc32.HashToUInt32(multicast) >> 26;
        Assert.True(driver.Initialize(Mac, logicalFilter: 1UL << (int)hash));
        driver.Start();

        _card.Receive(Frame([0x00, 0x16, 0x3E, 0, 0, 9], [2, 0, 0, 0, 0, 1], 100, 1));
        Assert.Null(driver.TakeReceived());
        _card.Receive(Frame([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF], [2, 0, 0, 0, 0, 1], 100, 2));
        Assert.Equal(2, driver.TakeReceived()!.Value.Frame[14]);
        _card.Receive(Frame(multicast, [2, 0, 0, 0, 0, 1], 100, 3));
        Assert.Equal(3, driver.TakeReceived()!.Value.Frame[14]);
        _card.Receive(Frame([0x01, 0x00, 0x5E, 0x00, 0x00, 0x01], [2, 0, 0, 0, 0, 1], 100, 4));
        Assert.Null(driver.TakeReceived());

        Assert.True(driver.Initialize(Mac, mode: 0x8000));
        driver.Start();
        _card.Receive(Frame([0x00, 0x16, 0x3E, 0, 0, 9], [2, 0, 0, 0, 0, 1], 100, 5));
        Assert.Equal(5, driver.TakeReceived()!.Value.Frame[14]);
    }

    [Fact]
    public void WithoutAFreeBufferAFrameIsMissedAndTheDriverIsTold()
    {
        var driver = Driver();
        Assert.True(driver.Initialize(Mac));
        driver.Start();
        for (var i = 0; i < PcnetGuestDriver.ReceiveCount; i++)
        {
            _card.Receive(Frame(Mac, [2, 0, 0, 0, 0, 1], 100, (byte)i));
        }

        _card.Receive(Frame(Mac, [2, 0, 0, 0, 0, 1], 100, 0xEE));
        Assert.Equal(0x9000, driver.ReadCsr(0) & 0x9000);
        Assert.Equal(0, driver.TakeReceived()!.Value.Frame[14]);
    }

    [Fact]
    public void GuestAddressesOutsideMemoryAreMemoryErrorsNotFailures()
    {
        var driver = Driver();
        driver.Reset();
        driver.WriteBcr(20, 2);
        driver.WriteCsr(1, 0);
        driver.WriteCsr(2, 0x4000);
        driver.WriteCsr(0, 0x0041);
        Assert.Equal(0x0800, driver.ReadCsr(0) & 0x0800);
        Assert.Equal(0, driver.ReadCsr(0) & 0x0100);
        Assert.True(_interrupt.Level);

        Assert.True(driver.Initialize(Mac));
        driver.Start();
        _memory.Write(PcnetGuestDriver.ReceiveRing, 0xF000_0000u);
        _card.Receive(Frame(Mac, [2, 0, 0, 0, 0, 1], 100, 1));
        Assert.Equal(0x0800, driver.ReadCsr(0) & 0x0800);

        _memory.Write(PcnetGuestDriver.TransmitRing + 4, 0x8300_0000u | unchecked((ushort)-64));
        _memory.Write(PcnetGuestDriver.TransmitRing, 0xF000_0000u);
        driver.WriteCsr(0, 0x0848);
        Assert.Empty(_network.Sent);
        Assert.Equal(0x0800, driver.ReadCsr(0) & 0x0800);
    }

    [Fact]
    public void StopHaltsTheCardUntilItIsStartedAgain()
    {
        var driver = Driver();
        Assert.True(driver.Initialize(Mac));
        driver.Start();
        driver.WriteCsr(0, 0x0004);
        Assert.Equal(0x0004, driver.ReadCsr(0));
        _card.Receive(Frame(Mac, [2, 0, 0, 0, 0, 1], 100, 1));
        Assert.Null(driver.TakeReceived());
    }

    internal static byte[] Frame(ReadOnlySpan<byte> destination, ReadOnlySpan<byte> source, int payload, byte fill)
    {
        var frame = new byte[14 + payload];
        destination.CopyTo(frame);
        source.CopyTo(frame.AsSpan(6));
        frame[12] = 0x88;
        frame[13] = 0xB5;
        frame.AsSpan(14).Fill(fill);
        return frame;
    }
}
