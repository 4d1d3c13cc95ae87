using Domus.Vmm.Devices.Platform;
using Microsoft.Extensions.Time.Testing;

namespace Domus.Vmm.Devices.Tests.Platform;

/// <summary>The clock's interrupt sources, with time moved by hand: periodic, update-ended and alarm.</summary>
public sealed class CmosRtcInterruptTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 13, 45, 30, 250, TimeSpan.Zero));
    private readonly FakeInterruptLine _interrupt = new();
    private readonly CmosRtc _cmos;

    public CmosRtcInterruptTests() => _cmos = new CmosRtc(_time, TimeSpan.Zero, _interrupt);

    public void Dispose() => _cmos.Dispose();

    private byte Read(byte index)
    {
        _cmos.WriteByte(0, index);
        return _cmos.ReadByte(1);
    }

    private void Write(byte index, byte value)
    {
        _cmos.WriteByte(0, index);
        _cmos.WriteByte(1, value);
    }

    [Fact]
    public void ThePeriodicInterruptComesAtRegisterAsRateOnlyWhileEnabled()
    {
        Write(CmosRtc.RegisterA, 0x26);
        _time.Advance(TimeSpan.FromMilliseconds(5));
        Assert.False(_interrupt.Level);
        Assert.Equal(0, Read(CmosRtc.RegisterC));

        Write(CmosRtc.RegisterB, 0x42);
        // Rate 6: 1024 Hz, 976.5625 µs; timers tick in whole milliseconds, so the first comes at 1 ms.
        _time.Advance(TimeSpan.FromTicks(9999));
        Assert.False(_interrupt.Level);
        _time.Advance(TimeSpan.FromTicks(1));
        Assert.True(_interrupt.Level);
        Assert.Equal(0xC0, Read(CmosRtc.RegisterC));
        Assert.False(_interrupt.Level);
        Assert.Equal(0, Read(CmosRtc.RegisterC));

        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(2, _interrupt.RisingEdges);

        // Rate 15 is 2 Hz; rate 0 stops it.
        Read(CmosRtc.RegisterC);
        Write(CmosRtc.RegisterA, 0x2F);
        _time.Advance(TimeSpan.FromMilliseconds(499));
        Assert.False(_interrupt.Level);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(_interrupt.Level);
        Read(CmosRtc.RegisterC);
        Write(CmosRtc.RegisterA, 0x20);
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.False(_interrupt.Level);
    }

    [Fact]
    public void EachSecondsUpdateEndsWithAnInterruptWhenEnabledAndNotWhileTheClockIsSet()
    {
        Write(CmosRtc.RegisterB, 0x12);
        _time.Advance(TimeSpan.FromMilliseconds(740));
        Assert.False(_interrupt.Level);
        _time.Advance(TimeSpan.FromMilliseconds(10));
        Assert.True(_interrupt.Level);
        Assert.Equal(0x90, Read(CmosRtc.RegisterC));

        Write(CmosRtc.RegisterB, 0x92);
        _time.Advance(TimeSpan.FromSeconds(3));
        Assert.False(_interrupt.Level);
        Write(CmosRtc.RegisterB, 0x12);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(_interrupt.Level);
    }

    [Fact]
    public void TheAlarmGoesOffAtItsTimeWithDontCareFields()
    {
        Write(CmosRtc.SecondsAlarm, 0x33);
        Write(CmosRtc.MinutesAlarm, 0x45);
        Write(CmosRtc.HoursAlarm, 0xFF);
        Write(CmosRtc.RegisterB, 0x22);
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.False(_interrupt.Level);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(_interrupt.Level);
        Assert.Equal(0xA0 | 0x10, Read(CmosRtc.RegisterC));
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.False(_interrupt.Level);
    }

    [Fact]
    public void AFastRateKeepsItsAverageThoughTimersTickInMilliseconds()
    {
        Write(CmosRtc.RegisterA, 0x23);
        Write(CmosRtc.RegisterB, 0x42);
        var interrupts = 0;
        for (var ms = 0; ms < 1000; ms++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(1));
            if (_interrupt.Level)
            {
                interrupts++;
                Read(CmosRtc.RegisterC);
            }
        }

        // Rate 3 is 8192 Hz; one interrupt per millisecond tick at most, each standing for the periods it covers.
        Assert.Equal(1000, interrupts);
    }

    [Fact]
    public void AGuestSettingTheLastYearDoesNotStopTheClock()
    {
        Write(CmosRtc.RegisterB, 0x12);
        Write(CmosRtc.Century, 0x99);
        Write(CmosRtc.Year, 0x99);
        _time.Advance(TimeSpan.FromSeconds(2));

        // 9926 is a year the clock can run on from; 9999 is not, and the clock keeps 9926.
        Assert.Equal((0x99, 0x26), (Read(CmosRtc.Century), Read(CmosRtc.Year)));
        Assert.True(_interrupt.Level);
    }

    [Fact]
    public void ADisposedClockNeverRaisesItsLineAgain()
    {
        Write(CmosRtc.RegisterB, 0x52);
        _cmos.Dispose();
        _time.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal(0, _interrupt.RisingEdges);
    }
}
