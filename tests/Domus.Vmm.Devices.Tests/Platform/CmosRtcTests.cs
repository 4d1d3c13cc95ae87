using Domus.Vmm.Devices.Platform;

namespace Domus.Vmm.Devices.Tests.Platform;

public sealed class CmosRtcTests
{
    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static readonly DateTimeOffset Noon = new(2026, 11, 26, 13, 45, 30, 500, TimeSpan.Zero);

    private static byte Read(CmosRtc cmos, byte index)
    {
        cmos.WriteByte(0, index);
        return cmos.ReadByte(1);
    }

    private static void Write(CmosRtc cmos, byte index, byte value)
    {
        cmos.WriteByte(0, index);
        cmos.WriteByte(1, value);
    }

    [Fact]
    public void TheClockReadsInBcdAnd24HoursByDefault()
    {
        using var cmos = new CmosRtc(new FixedClock(Noon), TimeSpan.Zero, new FakeInterruptLine());
        Assert.Equal((0x30, 0x45, 0x13, 0x26, 0x11, 0x26, 0x20), (Read(cmos, CmosRtc.Seconds), Read(cmos, CmosRtc.Minutes), Read(cmos, CmosRtc.Hours), Read(cmos, CmosRtc.DayOfMonth), Read(cmos, CmosRtc.Month), Read(cmos, CmosRtc.Year), Read(cmos, CmosRtc.Century)));
        Assert.Equal(0x05, Read(cmos, CmosRtc.DayOfWeek));
        Assert.Equal(0x80, Read(cmos, CmosRtc.RegisterD));
    }

    [Fact]
    public void BinaryAnd12HourModesAndTheOffset()
    {
        using var cmos = new CmosRtc(new FixedClock(Noon), TimeSpan.FromHours(2), new FakeInterruptLine());
        Write(cmos, CmosRtc.RegisterB, 0x06);
        Assert.Equal(15, Read(cmos, CmosRtc.Hours));
        Write(cmos, CmosRtc.RegisterB, 0x04);
        Assert.Equal(0x80 | 3, Read(cmos, CmosRtc.Hours));
        Write(cmos, CmosRtc.RegisterB, 0x00);
        Assert.Equal(0x80 | 0x03, Read(cmos, CmosRtc.Hours));
    }

    [Fact]
    public void SettingTheTimeMovesTheClockWhichKeepsRunning()
    {
        var clock = new FixedClock(Noon);
        using var cmos = new CmosRtc(clock, TimeSpan.Zero, new FakeInterruptLine());
        Write(cmos, CmosRtc.Hours, 0x08);
        Write(cmos, CmosRtc.Minutes, 0x05);
        Assert.Equal((0x08, 0x05), (Read(cmos, CmosRtc.Hours), Read(cmos, CmosRtc.Minutes)));
        clock.Now += TimeSpan.FromMinutes(10);
        Assert.Equal(0x15, Read(cmos, CmosRtc.Minutes));
    }

    [Fact]
    public void UpdateInProgressShowsAtTheStartOfEachSecond()
    {
        var clock = new FixedClock(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(100));
        using var cmos = new CmosRtc(clock, TimeSpan.Zero, new FakeInterruptLine());
        Assert.Equal(0xA6, Read(cmos, CmosRtc.RegisterA));
        clock.Now = clock.Now.AddMilliseconds(1);
        Assert.Equal(0x26, Read(cmos, CmosRtc.RegisterA));
    }

    [Fact]
    public void MemoryBytesKeepWhatTheMachineAndGuestWrite()
    {
        using var cmos = new CmosRtc(TimeProvider.System, TimeSpan.Zero, new FakeInterruptLine());
        cmos.SetByte(0x34, 0x12);
        Assert.Equal(0x12, Read(cmos, 0x34));
        Write(cmos, 0x40, 0x99);
        Assert.Equal(0x99, cmos.GetByte(0x40));
        cmos.WriteByte(0, 0x80 | 0x34);
        Assert.Equal(0x12, cmos.ReadByte(1));
    }
}
