using System.Buffers.Binary;
using Domus.Vmm.Devices.Bus;
using Domus.Vmm.Memory;

namespace Domus.Vmm.Devices.Display;

/// <summary>
/// The legacy window at 0xA0000-0xBFFFF into video memory, as the graphics controller's memory map select places
/// it (128 KiB at A0000, 64 KiB at A0000, 32 KiB at B0000 or B8000). Video memory holds the four planes
/// interleaved: byte <c>4 * a + p</c> is address a of plane p, so that chain-4 (mode 13h, VBE's banked window)
/// is a plain byte address and the linear framebuffer sees the same bytes. Odd/even (text modes) puts even host
/// addresses in plane 0 and odd ones in plane 1; otherwise the planar write modes 0-3 and read modes 0-1 apply,
/// through the latches. Accesses outside the mapped part or beyond video memory read 0xFF and write nothing.
/// </summary>
public sealed class VgaMemoryWindow : IMmioDevice
{
    public const ulong WindowBase = 0xA0000, WindowSize = 0x20000;

    // Sequencer and graphics controller registers this window obeys.
    private const int MapMask = 2, MemoryMode = 4;
    private const int SetReset = 0, EnableSetReset = 1, ColourCompare = 2, DataRotate = 3, ReadMapSelect = 4;
    private const int Mode = 5, Miscellaneous = 6, ColourDontCare = 7, BitMask = 8;

    private readonly Lock _lock;
    private readonly VgaRegisters _registers;
    private readonly BochsDispi _dispi;
    private readonly DeviceMemory _memory;
    private uint _latches;

    internal VgaMemoryWindow(Lock registersLock, VgaRegisters registers, BochsDispi dispi, DeviceMemory memory)
    {
        _lock = registersLock;
        _registers = registers;
        _dispi = dispi;
        _memory = memory;
    }

    public void Read(ulong offset, Span<byte> data)
    {
        lock (_lock)
        {
            for (var i = 0; i < data.Length; i++)
            {
                data[i] = ReadByte(offset + (ulong)i);
            }
        }
    }

    public void Write(ulong offset, ReadOnlySpan<byte> data)
    {
        lock (_lock)
        {
            for (var i = 0; i < data.Length; i++)
            {
                WriteByte(offset + (ulong)i, data[i]);
            }
        }
    }

    private byte[] Sequencer => _registers.Sequencer;

    private byte[] Graphics => _registers.Graphics;

    private bool Chain4 => (Sequencer[MemoryMode] & 0x08) != 0;

    /// <summary>The host address inside the mapped part of the window, or -1; VBE's bank moves the 64 KiB window.</summary>
    private long MapAddress(ulong offset)
    {
        var (start, size) = ((Graphics[Miscellaneous] >> 2) & 3) switch
        {
            0 => (0x00000UL, 0x20000UL),
            1 => (0x00000UL, 0x10000UL),
            2 => (0x10000UL, 0x08000UL),
            _ => (0x18000UL, 0x08000UL),
        };
        if (offset < start || offset - start >= size)
        {
            return -1;
        }

        var address = (long)(offset - start);
        return _dispi.IsEnabled && size == 0x10000 ? address + _dispi.BankOffset : address;
    }

    private byte ReadByte(ulong offset)
    {
        var address = MapAddress(offset);
        var memory = _memory.Span;
        if (address < 0)
        {
            return 0xFF;
        }

        if (Chain4)
        {
            return address < memory.Length ? memory[(int)address] : (byte)0xFF;
        }

        if ((Graphics[Mode] & 0x10) != 0)
        {
            var target = (address >> 1) * 4 + ((Graphics[ReadMapSelect] & 2) | (int)(address & 1));
            return target < memory.Length ? memory[(int)target] : (byte)0xFF;
        }

        if (address * 4 + 3 >= memory.Length)
        {
            return 0xFF;
        }

        _latches = BinaryPrimitives.ReadUInt32LittleEndian(memory.Slice((int)address * 4, 4));
        if ((Graphics[Mode] & 0x08) == 0)
        {
            return (byte)(_latches >> ((Graphics[ReadMapSelect] & 3) * 8));
        }

        // Read mode 1: a bit is set where every plane that matters has the colour compare value.
        var care = ExpandPlanes(Graphics[ColourDontCare]);
        var differences = (_latches ^ ExpandPlanes(Graphics[ColourCompare])) & care;
        differences |= differences >> 16;
        differences |= differences >> 8;
        return (byte)~differences;
    }

    private void WriteByte(ulong offset, byte value)
    {
        var address = MapAddress(offset);
        var memory = _memory.Span;
        if (address < 0)
        {
            return;
        }

        var mapMask = Sequencer[MapMask];
        if (Chain4)
        {
            if (address < memory.Length && (mapMask & (1 << (int)(address & 3))) != 0)
            {
                memory[(int)address] = value;
                _memory.MarkDirty((int)address, 1);
            }

            return;
        }

        if ((Sequencer[MemoryMode] & 0x04) == 0)
        {
            var plane = (int)(address & 1);
            var target = (address >> 1) * 4 + plane;
            if (target < memory.Length && (mapMask & (1 << plane)) != 0)
            {
                memory[(int)target] = value;
                _memory.MarkDirty((int)target, 1);
            }

            return;
        }

        if (address * 4 + 3 < memory.Length)
        {
            WritePlanes(memory.Slice((int)address * 4, 4), value, mapMask);
            _memory.MarkDirty((int)address * 4, 4);
        }
    }

    /// <summary>Write modes 0-3: data from the host or set/reset, the logical function with the latches, the bit mask.</summary>
    private void WritePlanes(Span<byte> planes, byte value, byte mapMask)
    {
        var rotated = (byte)((value >> (Graphics[DataRotate] & 7)) | (value << (8 - (Graphics[DataRotate] & 7))));
        var bitMask = Graphics[BitMask];
        uint data;
        switch (Graphics[Mode] & 3)
        {
            case 0:
                var fromSetReset = ExpandPlanes(Graphics[EnableSetReset]);
                data = (Replicate(rotated) & ~fromSetReset) | (ExpandPlanes(Graphics[SetReset]) & fromSetReset);
                break;
            case 1:
                StorePlanes(planes, _latches, mapMask);
                return;
            case 2:
                data = ExpandPlanes(value);
                break;
            default:
                bitMask &= rotated;
                data = ExpandPlanes(Graphics[SetReset]);
                break;
        }

        data = ((Graphics[DataRotate] >> 3) & 3) switch
        {
            0 => data,
            1 => data & _latches,
            2 => data | _latches,
            _ => data ^ _latches,
        };
        var mask = Replicate(bitMask);
        StorePlanes(planes, (data & mask) | (_latches & ~mask), mapMask);
    }

    private static void StorePlanes(Span<byte> planes, uint value, byte mapMask)
    {
        for (var plane = 0; plane < 4; plane++)
        {
            if ((mapMask & (1 << plane)) != 0)
            {
                planes[plane] = (byte)(value >> (plane * 8));
            }
        }
    }

    private static uint Replicate(byte value) => value * 0x01010101u;

    /// <summary>Bit p of <paramref name="bits"/> becomes all ones or zeros in plane p's byte.</summary>
    private static uint ExpandPlanes(byte bits)
    {
        uint planes = 0;
        for (var plane = 0; plane < 4; plane++)
        {
            planes |= (bits >> plane & 1) != 0 ? 0xFFu << (plane * 8) : 0;
        }

        return planes;
    }
}
