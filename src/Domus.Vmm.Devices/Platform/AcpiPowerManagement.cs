using System.Buffers.Binary;
using Domus.Vmm.Devices.Bus;

namespace Domus.Vmm.Devices.Platform;

/// <summary>
/// The ACPI fixed-feature hardware the FADT points at, as one 12-port block: PM1 status (offset 0, write one to
/// clear) and enable (2), PM1 control (4) and the 32-bit PM timer at 3.579545 MHz (8). The power button is a
/// fixed feature: pressing it sets PWRBTN_STS, and the SCI is asserted while an enabled status bit is set. Writing
/// SLP_EN with the soft-off sleep type powers the machine off. ACPI mode is always on (SCI_EN reads one; the FADT
/// has no SMI command port), and the timer does not interrupt on overflow.
/// </summary>
public sealed class AcpiPowerManagement : IPortIoDevice
{
    public const int EventBlock = 0, ControlBlock = 4, Timer = 8, Length = 12;
    public const long TimerFrequency = 3_579_545;
    private const ushort PowerButton = 0x0100, SciEnable = 0x0001, SleepEnable = 0x2000;

    private readonly Lock _lock = new();
    private readonly IInterruptLine _sci;
    private readonly TimeProvider _clock;
    private readonly long _start;
    private readonly byte _softOffSleepType;
    private readonly Action _powerOff;
    private ushort _status;
    private ushort _enable;
    private ushort _control = SciEnable;

    public AcpiPowerManagement(IInterruptLine sci, TimeProvider clock, byte softOffSleepType, Action powerOff)
    {
        _sci = sci;
        _clock = clock;
        _start = clock.GetTimestamp();
        _softOffSleepType = softOffSleepType;
        _powerOff = powerOff;
    }

    /// <summary>The power button is pressed (domus shutdown): the guest's ACPI driver sees the event.</summary>
    public void PressPowerButton()
    {
        lock (_lock)
        {
            _status |= PowerButton;
            UpdateSci();
        }
    }

    public void Read(ushort offset, Span<byte> data)
    {
        Span<byte> block = stackalloc byte[Length];
        lock (_lock)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(block[EventBlock..], _status);
            BinaryPrimitives.WriteUInt16LittleEndian(block[(EventBlock + 2)..], _enable);
            BinaryPrimitives.WriteUInt16LittleEndian(block[ControlBlock..], _control);
        }

        var elapsed = _clock.GetElapsedTime(_start);
        BinaryPrimitives.WriteUInt32LittleEndian(block[Timer..], (uint)(elapsed.Ticks * TimerFrequency / TimeSpan.TicksPerSecond));
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = offset + i < Length ? block[offset + i] : (byte)0xFF;
        }
    }

    public void Write(ushort offset, ReadOnlySpan<byte> data)
    {
        var powerOff = false;
        lock (_lock)
        {
            for (var i = 0; i < data.Length; i++)
            {
                var at = offset + i;
                var shift = 8 * (at & 1);
                var value = (ushort)(data[i] << shift);
                switch (at)
                {
                    case EventBlock or EventBlock + 1:
                        _status &= (ushort)~value;
                        break;
                    case EventBlock + 2 or EventBlock + 3:
                        _enable = (ushort)((_enable & ~(0xFF << shift)) | value);
                        break;
                    case ControlBlock or ControlBlock + 1:
                        _control = (ushort)((_control & ~(0xFF << shift)) | value | SciEnable);
                        if ((_control & SleepEnable) != 0)
                        {
                            powerOff = ((_control >> 10) & 0x7) == _softOffSleepType;
                            _control &= unchecked((ushort)~SleepEnable);
                        }

                        break;
                }
            }

            UpdateSci();
        }

        if (powerOff)
        {
            _powerOff();
        }
    }

    private void UpdateSci() => _sci.SetLevel((_status & _enable & PowerButton) != 0);
}
