using Domus.Vmm.Devices.Bus;

namespace Domus.Vmm.Devices.Platform;

/// <summary>
/// The MC146818 real-time clock and its 128 bytes of CMOS memory (ports 0x70 index, 0x71 data). The clock runs
/// from the host's clock plus an offset (localtime, rtc_timeoffset, and whatever the guest sets), in BCD or
/// binary, 12 or 24 hours, as register B says; register A's update-in-progress bit is shown for the first
/// 244 µs of each second, as on the chip. The firmware reads the machine's memory size and CPU count from the
/// bytes the machine fills in with <see cref="SetByte"/>. Its interrupt (IRQ 8) comes from the periodic rate of
/// register A, the alarm and the end of each second's update, each enabled in register B and flagged in register C,
/// which a read clears; timers of the clock's <see cref="TimeProvider"/> drive them, and run only while enabled.
/// </summary>
public sealed class CmosRtc : IPortIoDevice, IDisposable
{
    public const byte Seconds = 0x00, Minutes = 0x02, Hours = 0x04, DayOfWeek = 0x06, DayOfMonth = 0x07, Month = 0x08, Year = 0x09;
    public const byte RegisterA = 0x0A, RegisterB = 0x0B, RegisterC = 0x0C, RegisterD = 0x0D, Century = 0x32;
    public const byte SecondsAlarm = 0x01, MinutesAlarm = 0x03, HoursAlarm = 0x05;
    private const byte BinaryMode = 0x04, TwentyFourHours = 0x02, SetBit = 0x80, UpdateInProgress = 0x80;
    private const byte PeriodicEnable = 0x40, AlarmEnable = 0x20, UpdateEnable = 0x10;
    private const byte InterruptFlag = 0x80, PeriodicFlag = 0x40, AlarmFlag = 0x20, UpdateFlag = 0x10;

    private readonly TimeProvider _clock;
    private readonly IInterruptLine _interrupt;
    private readonly Lock _lock = new();
    private readonly byte[] _memory = InitialMemory();
    private readonly ITimer _secondTimer;
    private readonly ITimer _periodicTimer;
    private TimeSpan _offset;
    private TimeSpan? _period;
    private DateTimeOffset _periodStart;
    private long _periodsRaised;
    private byte _index;
    private bool _disposed;

    public CmosRtc(TimeProvider clock, TimeSpan offset, IInterruptLine interrupt)
    {
        _clock = clock;
        _offset = offset;
        _interrupt = interrupt;
        _secondTimer = clock.CreateTimer(_ => OnSecond(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _periodicTimer = clock.CreateTimer(_ => OnPeriod(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public void SetByte(byte index, byte value)
    {
        lock (_lock)
        {
            _memory[index & 0x7F] = value;
        }
    }

    public byte GetByte(byte index)
    {
        lock (_lock)
        {
            return ReadRegister((byte)(index & 0x7F));
        }
    }

    public void Read(ushort offset, Span<byte> data)
    {
        lock (_lock)
        {
            data.Fill(offset == 1 ? ReadRegister(_index) : (byte)0xFF);
        }
    }

    public void Write(ushort offset, ReadOnlySpan<byte> data)
    {
        if (data.Length != 1)
        {
            return;
        }

        lock (_lock)
        {
            if (offset == 0)
            {
                // Bit 7 masks NMIs on a PC; there are none to mask here.
                _index = (byte)(data[0] & 0x7F);
            }
            else
            {
                WriteRegister(_index, data[0]);
            }
        }
    }

    private DateTime Now => _clock.GetUtcNow().UtcDateTime + _offset;

    private bool Binary => (_memory[RegisterB] & BinaryMode) != 0;

    private byte ReadRegister(byte index)
    {
        var now = Now;
        switch (index)
        {
            case Seconds: return Encode(now.Second);
            case Minutes: return Encode(now.Minute);
            case Hours: return EncodeHour(now.Hour);
            case DayOfWeek: return Encode((int)now.DayOfWeek + 1);
            case DayOfMonth: return Encode(now.Day);
            case Month: return Encode(now.Month);
            case Year: return Encode(now.Year % 100);
            case Century: return Encode(now.Year / 100);
            case RegisterA: return (byte)((_memory[RegisterA] & 0x7F) | (now.Ticks % TimeSpan.TicksPerSecond < 2440 ? UpdateInProgress : 0));
            case RegisterC:
                var flags = _memory[RegisterC];
                _memory[RegisterC] = 0;
                _interrupt.SetLevel(false);
                return flags;
            case RegisterD: return 0x80;
            default: return _memory[index];
        }
    }

    private void WriteRegister(byte index, byte value)
    {
        switch (index)
        {
            case Seconds or Minutes or Hours or DayOfMonth or Month or Year or Century:
                SetClockField(index, value);
                break;
            case RegisterC or RegisterD:
                break;
            case RegisterA or RegisterB:
                _memory[index] = value;
                ScheduleTimers();
                break;
            default:
                _memory[index] = value;
                break;
        }
    }

    /// <summary>
    /// The periodic timer runs at register A's rate while register B enables its interrupt; the second timer runs
    /// while the alarm or update interrupt is enabled and the clock is not held by register B's SET bit.
    /// </summary>
    private void ScheduleTimers()
    {
        var period = (_memory[RegisterB] & PeriodicEnable) != 0 ? PeriodOf(_memory[RegisterA] & 0x0F) : null;
        if (period != _period)
        {
            // Timers tick in whole milliseconds: a faster rate raises one interrupt per tick, counted from the
            // clock so that the average rate stays right.
            _period = period;
            _periodStart = _clock.GetUtcNow();
            _periodsRaised = 0;
            var tick = period is { } p ? TimeSpan.FromMilliseconds(Math.Max(1, Math.Floor(p.TotalMilliseconds))) : Timeout.InfiniteTimeSpan;
            _periodicTimer.Change(tick, tick);
        }

        var everySecond = (_memory[RegisterB] & (AlarmEnable | UpdateEnable)) != 0 && (_memory[RegisterB] & SetBit) == 0;
        _secondTimer.Change(everySecond ? UntilNextSecond() : Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Register A's rate select: 0 is off, 1 and 2 are 256 and 128 Hz, 3 to 15 are 8192 Hz halved each step.</summary>
    private static TimeSpan? PeriodOf(int rate) => rate switch
    {
        0 => null,
        1 or 2 => TimeSpan.FromTicks(TimeSpan.TicksPerSecond * (1L << (rate + 6)) / 32768),
        _ => TimeSpan.FromTicks(TimeSpan.TicksPerSecond * (1L << (rate - 1)) / 32768),
    };

    private TimeSpan UntilNextSecond() => TimeSpan.FromTicks(TimeSpan.TicksPerSecond - (Now.Ticks % TimeSpan.TicksPerSecond));

    private void OnPeriod()
    {
        lock (_lock)
        {
            if (_period is not { } period)
            {
                return;
            }

            var due = (long)((_clock.GetUtcNow() - _periodStart) / period);
            if (due > _periodsRaised)
            {
                _periodsRaised = due;
                Raise(PeriodicFlag, PeriodicEnable);
            }
        }
    }

    /// <summary>The end of a second's update: the update flag, and the alarm's when its fields match (0xC0 and up match any).</summary>
    private void OnSecond()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            var now = Now;
            Raise(UpdateFlag, UpdateEnable);
            if (AlarmMatches(SecondsAlarm, now.Second) && AlarmMatches(MinutesAlarm, now.Minute) && AlarmMatches(HoursAlarm, now.Hour, hours: true))
            {
                Raise(AlarmFlag, AlarmEnable);
            }

            ScheduleTimers();
        }
    }

    private bool AlarmMatches(byte register, int value, bool hours = false) =>
        _memory[register] >= 0xC0 || _memory[register] == (hours ? EncodeHour(value) : Encode(value));

    /// <summary>Sets a flag in register C; when its interrupt is enabled, also IRQF and the interrupt line.</summary>
    private void Raise(byte flag, byte enable)
    {
        if (_disposed)
        {
            return;
        }

        _memory[RegisterC] |= flag;
        if ((_memory[RegisterB] & enable) != 0)
        {
            _memory[RegisterC] |= InterruptFlag;
            _interrupt.SetLevel(true);
        }
    }

    /// <summary>Stops the timers; after this returns the clock never touches its interrupt line again.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
        }

        _secondTimer.Dispose();
        _periodicTimer.Dispose();
    }

    /// <summary>A guest setting the clock moves the offset, so the clock keeps running from the new time.</summary>
    private void SetClockField(byte index, byte value)
    {
        var now = Now;
        var number = Binary ? value : ((value >> 4) * 10) + (value & 0x0F);
        if (index == Hours && (_memory[RegisterB] & TwentyFourHours) == 0)
        {
            var pm = (value & 0x80) != 0;
            number = (Binary ? value & 0x7F : (((value & 0x70) >> 4) * 10) + (value & 0x0F)) % 12 + (pm ? 12 : 0);
        }

        try
        {
            var changed = index switch
            {
                Seconds => now.AddSeconds(number - now.Second),
                Minutes => now.AddMinutes(number - now.Minute),
                Hours => now.AddHours(number - now.Hour),
                DayOfMonth => now.AddDays(number - now.Day),
                Month => now.AddMonths(number - now.Month),
                Year => now.AddYears(number - (now.Year % 100)),
                _ => now.AddYears((number - (now.Year / 100)) * 100),
            };
            // The clock must run on for years from any time a guest sets: DateTime ends with 9999.
            if (changed.Year < 9999)
            {
                _offset += changed - now;
            }
        }
        catch (ArgumentOutOfRangeException)
        {
            // A date the guest cannot mean; the clock keeps its time.
        }
    }

    private byte Encode(int value) => Binary ? (byte)value : (byte)(((value / 10) << 4) | (value % 10));

    private byte EncodeHour(int hour)
    {
        if ((_memory[RegisterB] & TwentyFourHours) != 0)
        {
            return Encode(hour);
        }

        var twelve = hour % 12 == 0 ? 12 : hour % 12;
        return (byte)(Encode(twelve) | (hour >= 12 ? 0x80 : 0));
    }

    private static byte[] InitialMemory()
    {
        var memory = new byte[128];
        memory[RegisterA] = 0x26;
        memory[RegisterB] = TwentyFourHours;
        return memory;
    }
}
