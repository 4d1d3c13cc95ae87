using System.Buffers.Binary;
using Domus.Vmm.Devices.Bus;
using Domus.Vmm.Memory;

namespace Domus.Vmm.Devices.Display;

/// <summary>
/// Bochs' VBE display interface (DISPI) as SeaVGABIOS and Linux's bochs-drm drive it: an index port (0x1CE) and a
/// 16-bit data port (0x1CF) in front of the ID, resolution, depth, enable, bank, virtual size and offset registers.
/// A word at the data port covers 0x1CF-0x1D0, so the device spans three ports, as QEMU's does on a PC; 0x1D0 on its
/// own decodes nothing.
/// Enabling a mode clears the part of video memory it shows unless NOCLEARMEM says not to; the GETCAPS flag makes
/// the resolution and depth registers read as their maxima. Values a mode cannot have are ignored.
/// </summary>
public sealed class BochsDispi : IPortIoDevice
{
    public const ushort PortBase = 0x1CE, PortCount = 3;
    public const ushort IndexId = 0, IndexXResolution = 1, IndexYResolution = 2, IndexBitsPerPixel = 3, IndexEnable = 4;
    public const ushort IndexBank = 5, IndexVirtualWidth = 6, IndexVirtualHeight = 7, IndexXOffset = 8, IndexYOffset = 9;
    public const ushort IndexVideoMemory64K = 10;
    public const ushort Id0 = 0xB0C0, Id5 = 0xB0C5;
    public const ushort Enabled = 0x01, GetCapabilities = 0x02, EightBitDac = 0x20, LinearFramebuffer = 0x40, NoClearMemory = 0x80;
    public const int MaxXResolution = 2560, MaxYResolution = 1600, MaxBitsPerPixel = 32;
    private const int BankSize = 64 * 1024;

    private readonly Lock _lock;
    private readonly DeviceMemory _memory;
    private ushort _index;
    private ushort _id = Id5;
    private int _xResolution = 640, _yResolution = 480, _bitsPerPixel = 8, _enable, _bank;
    private int _virtualWidth = 640, _virtualHeight = 480, _xOffset, _yOffset;

    internal BochsDispi(Lock registersLock, DeviceMemory memory)
    {
        _lock = registersLock;
        _memory = memory;
    }

    /// <summary>Where the legacy window's 64 KiB bank starts in video memory (with DISPI enabled).</summary>
    internal int BankOffset => _bank * BankSize;

    internal bool IsEnabled => (_enable & Enabled) != 0;

    public void Read(ushort offset, Span<byte> data)
    {
        if (offset > 1)
        {
            data.Fill(0xFF);
            return;
        }

        ushort value;
        lock (_lock)
        {
            value = offset == 0 ? _index : ReadRegister(_index);
        }

        if (data.Length >= 2)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(data, value);
            data[2..].Clear();
        }
        else if (data.Length == 1)
        {
            data[0] = (byte)value;
        }
    }

    public void Write(ushort offset, ReadOnlySpan<byte> data)
    {
        if (offset > 1 || data.Length is not (1 or 2))
        {
            return;
        }

        var value = data.Length == 2 ? BinaryPrimitives.ReadUInt16LittleEndian(data) : data[0];
        lock (_lock)
        {
            if (offset == 0)
            {
                _index = value;
            }
            else
            {
                WriteRegister(_index, value);
            }
        }
    }

    /// <summary>The mode for the renderer, read under the device's lock.</summary>
    internal VbeMode Snapshot() => new(IsEnabled, _xResolution, _yResolution, _bitsPerPixel, _virtualWidth, _xOffset, _yOffset, (_enable & EightBitDac) != 0);

    private ushort ReadRegister(ushort index)
    {
        var capabilities = (_enable & GetCapabilities) != 0;
        return index switch
        {
            IndexId => _id,
            IndexXResolution => (ushort)(capabilities ? MaxXResolution : _xResolution),
            IndexYResolution => (ushort)(capabilities ? MaxYResolution : _yResolution),
            IndexBitsPerPixel => (ushort)(capabilities ? MaxBitsPerPixel : _bitsPerPixel),
            IndexEnable => (ushort)_enable,
            IndexBank => (ushort)_bank,
            IndexVirtualWidth => (ushort)_virtualWidth,
            IndexVirtualHeight => (ushort)_virtualHeight,
            IndexXOffset => (ushort)_xOffset,
            IndexYOffset => (ushort)_yOffset,
            IndexVideoMemory64K => (ushort)(_memory.Size / BankSize),
            _ => 0,
        };
    }

    private void WriteRegister(ushort index, ushort value)
    {
        switch (index)
        {
            case IndexId when value is >= Id0 and <= Id5:
                _id = value;
                break;
            case IndexXResolution when value > 0 && value <= MaxXResolution && value % 8 == 0:
                _xResolution = value;
                break;
            case IndexYResolution when value > 0 && value <= MaxYResolution:
                _yResolution = value;
                break;
            case IndexBitsPerPixel:
                _bitsPerPixel = value switch { 0 => 8, 4 or 8 or 15 or 16 or 24 or 32 => value, _ => _bitsPerPixel };
                break;
            case IndexEnable:
                WriteEnable(value);
                break;
            case IndexBank when value < _memory.Size / BankSize:
                _bank = value;
                break;
            case IndexVirtualWidth when value >= _xResolution && VbeMode.LineBytes(value, _bitsPerPixel) * _yResolution <= _memory.Size:
                _virtualWidth = value;
                _virtualHeight = _memory.Size / VbeMode.LineBytes(value, _bitsPerPixel);
                break;
            case IndexXOffset when value < _virtualWidth:
                _xOffset = value;
                break;
            case IndexYOffset when value < _virtualHeight:
                _yOffset = value;
                break;
        }
    }

    private void WriteEnable(ushort value)
    {
        var enabling = (value & Enabled) != 0 && !IsEnabled;
        var lineBytes = VbeMode.LineBytes(_xResolution, _bitsPerPixel);
        if (enabling && lineBytes * _yResolution > _memory.Size)
        {
            return;
        }

        _enable = value & (Enabled | GetCapabilities | EightBitDac | LinearFramebuffer | NoClearMemory);
        if (enabling)
        {
            _virtualWidth = _xResolution;
            _virtualHeight = _memory.Size / lineBytes;
            _xOffset = _yOffset = 0;
            if ((value & NoClearMemory) == 0)
            {
                _memory.Span[..(lineBytes * _yResolution)].Clear();
                _memory.MarkDirty(0, lineBytes * _yResolution);
            }
        }
    }
}
