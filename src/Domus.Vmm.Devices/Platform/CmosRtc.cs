using Domus.Vmm.Devices.Bus;

namespace Domus.Vmm.Devices.Platform;

/// <summary>
/// The MC146818 real-time clock and its 128 bytes of CMOS memory (ports 0x70 index, 0x71 data). The clock runs
/// from the host's clock plus an offset (localtime, rtc_timeoffset, and whatever the guest sets), in BCD or
/// binary, 12 or 24 hours, as register B says; register A's update-in-progress bit is shown for the first
/// 244 µs of each second, as on the chip. The firmware reads the machine's memory size and CPU count from the
/// bytes the machine fills in with <see cref="SetByte"/>. Periodic, alarm and update interrupts are not
/// raised yet.
/// </summary>
public sealed class CmosRtc(TimeProvider clock, TimeSpan offset) : IPortIoDevice
{
    public const byte Seconds = 0x00, Minutes = 0x02, Hours = 0x04, DayOfWeek = 0x06, DayOfMonth = 0x07, Month = 0x08, Year = 0x09;
    public const byte RegisterA = 0x0A, RegisterB = 0x0B, RegisterC = 0x0C, RegisterD = 0x0D, Century = 0x32;
    private const byte BinaryMode = 0x04, TwentyFourHours = 0x02, SetBit = 0x80, UpdateInProgress = 0x80;

    private readonly Lock _lock = new();
    private readonly byte[] _memory = InitialMemory();
    private TimeSpan _offset = offset;
    private byte _index;

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

    private DateTime Now => clock.GetUtcNow().UtcDateTime + _offset;

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
            default:
                _memory[index] = value;
                break;
        }
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
            _offset += changed - now;
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
