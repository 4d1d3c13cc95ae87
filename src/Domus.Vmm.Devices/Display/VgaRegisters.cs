using Domus.Vmm.Devices.Bus;

namespace Domus.Vmm.Devices.Display;

/// <summary>
/// The standard VGA's register file at ports 0x3B0-0x3DF (offsets from 0x3B0): miscellaneous output, sequencer,
/// CRT controller (at 0x3D4/0x3D5 and status at 0x3DA with colour addressing, at 0x3B4/0x3B5/0x3BA with mono, as
/// misc output bit 0 selects), graphics controller, attribute controller (index/data flip-flop reset by reading
/// input status 1) and the DAC. Wider accesses are taken as bytes to consecutive ports, so that an
/// <c>out dx, ax</c> to an index port sets index and data together.
/// </summary>
public sealed class VgaRegisters : IPortIoDevice
{
    public const ushort PortBase = 0x3B0, PortCount = 0x30;

    // Ports as offsets from 0x3B0.
    private const int MonoCrtcIndex = 0x04, MonoCrtcData = 0x05, MonoStatus = 0x0A;
    private const int AttributeWrite = 0x10, AttributeRead = 0x11, MiscWriteStatus0 = 0x12, Enable = 0x13;
    private const int SequencerIndex = 0x14, SequencerData = 0x15, PelMask = 0x16, DacReadIndex = 0x17;
    private const int DacWriteIndex = 0x18, DacData = 0x19, FeatureRead = 0x1A, MiscRead = 0x1C;
    private const int GraphicsIndex = 0x1E, GraphicsData = 0x1F;
    private const int ColourCrtcIndex = 0x24, ColourCrtcData = 0x25, ColourStatus = 0x2A;

    private const int CrtcProtect = 0x11, CrtcOverflow = 0x07;
    private const byte RetraceAndDisplayDisabled = 0x09;

    private readonly Lock _lock;
    private byte _sequencerIndex, _crtcIndex, _graphicsIndex, _feature, _enable, _status1;
    private bool _attributeData;
    private int _dacReadIndex, _dacWriteIndex;
    private bool _dacReading;
    private readonly byte[] _dacLatch = new byte[3];

    internal VgaRegisters(Lock registersLock)
    {
        _lock = registersLock;
    }

    private VgaRegisters(VgaRegisters source)
    {
        _lock = source._lock;
        Sequencer = (byte[])source.Sequencer.Clone();
        Crtc = (byte[])source.Crtc.Clone();
        Graphics = (byte[])source.Graphics.Clone();
        Attribute = (byte[])source.Attribute.Clone();
        Dac = (byte[])source.Dac.Clone();
        MiscOutput = source.MiscOutput;
        AttributeIndex = source.AttributeIndex;
        PixelMask = source.PixelMask;
    }

    internal byte[] Sequencer { get; } = new byte[5];

    internal byte[] Crtc { get; } = new byte[0x19];

    internal byte[] Graphics { get; } = new byte[9];

    internal byte[] Attribute { get; } = new byte[0x15];

    /// <summary>256 entries of red, green and blue, 6 bits each (or 8 with VBE's 8-bit DAC).</summary>
    internal byte[] Dac { get; } = new byte[256 * 3];

    /// <summary>Starts with colour addressing, as a card's own BIOS leaves it: SeaVGABIOS writes the CRTC at 0x3D4 before misc output.</summary>
    internal byte MiscOutput { get; private set; } = 0x01;

    /// <summary>The attribute index register; its bit 5 (palette address source) turns the screen on.</summary>
    internal byte AttributeIndex { get; private set; }

    internal byte PixelMask { get; private set; } = 0xFF;

    private bool ColourAddressing => (MiscOutput & 0x01) != 0;

    public void Read(ushort offset, Span<byte> data)
    {
        lock (_lock)
        {
            for (var i = 0; i < data.Length; i++)
            {
                data[i] = ReadPort(offset + i);
            }
        }
    }

    public void Write(ushort offset, ReadOnlySpan<byte> data)
    {
        lock (_lock)
        {
            for (var i = 0; i < data.Length; i++)
            {
                WritePort(offset + i, data[i]);
            }
        }
    }

    /// <summary>A copy for the renderer, taken under the device's lock so that it sees one consistent mode.</summary>
    internal VgaRegisters Snapshot() => new(this);

    private byte ReadPort(int port)
    {
        switch (port)
        {
            case MonoCrtcIndex when !ColourAddressing:
            case ColourCrtcIndex when ColourAddressing:
                return _crtcIndex;
            case MonoCrtcData when !ColourAddressing:
            case ColourCrtcData when ColourAddressing:
                return _crtcIndex < Crtc.Length ? Crtc[_crtcIndex] : (byte)0;
            case MonoStatus when !ColourAddressing:
            case ColourStatus when ColourAddressing:
                // Polling code waits for retrace to start and end: alternate on every read.
                _attributeData = false;
                _status1 ^= RetraceAndDisplayDisabled;
                return _status1;
            case AttributeWrite: return AttributeIndex;
            case AttributeRead:
                return (AttributeIndex & 0x1F) < Attribute.Length ? Attribute[AttributeIndex & 0x1F] : (byte)0;
            case MiscWriteStatus0: return 0;
            case Enable: return _enable;
            case SequencerIndex: return _sequencerIndex;
            case SequencerData: return _sequencerIndex < Sequencer.Length ? Sequencer[_sequencerIndex] : (byte)0;
            case PelMask: return PixelMask;
            case DacReadIndex: return _dacReading ? (byte)0x03 : (byte)0x00;
            case DacWriteIndex: return (byte)(_dacWriteIndex / 3);
            case DacData: return ReadDac();
            case FeatureRead: return _feature;
            case MiscRead: return MiscOutput;
            case GraphicsIndex: return _graphicsIndex;
            case GraphicsData: return _graphicsIndex < Graphics.Length ? Graphics[_graphicsIndex] : (byte)0;
            default: return 0xFF;
        }
    }

    private void WritePort(int port, byte value)
    {
        switch (port)
        {
            case MonoCrtcIndex when !ColourAddressing:
            case ColourCrtcIndex when ColourAddressing:
                _crtcIndex = value;
                break;
            case MonoCrtcData when !ColourAddressing:
            case ColourCrtcData when ColourAddressing:
                WriteCrtc(value);
                break;
            case MonoStatus when !ColourAddressing:
            case ColourStatus when ColourAddressing:
                _feature = value;
                break;
            case AttributeWrite:
                WriteAttribute(value);
                break;
            case MiscWriteStatus0:
                MiscOutput = value;
                break;
            case Enable:
                _enable = value;
                break;
            case SequencerIndex:
                _sequencerIndex = value;
                break;
            case SequencerData when _sequencerIndex < Sequencer.Length:
                Sequencer[_sequencerIndex] = value;
                break;
            case PelMask:
                PixelMask = value;
                break;
            case DacReadIndex:
                _dacReadIndex = value * 3;
                _dacReading = true;
                break;
            case DacWriteIndex:
                _dacWriteIndex = value * 3;
                Array.Clear(_dacLatch);
                _dacReading = false;
                break;
            case DacData:
                WriteDac(value);
                break;
            case GraphicsIndex:
                _graphicsIndex = value;
                break;
            case GraphicsData when _graphicsIndex < Graphics.Length:
                Graphics[_graphicsIndex] = value;
                break;
        }
    }

    /// <summary>Bit 7 of register 0x11 write-protects registers 0-7, all but the line-compare bit of the overflow register.</summary>
    private void WriteCrtc(byte value)
    {
        if (_crtcIndex >= Crtc.Length)
        {
            return;
        }

        var protectedRegister = (Crtc[CrtcProtect] & 0x80) != 0 && _crtcIndex <= CrtcOverflow;
        if (!protectedRegister)
        {
            Crtc[_crtcIndex] = value;
        }
        else if (_crtcIndex == CrtcOverflow)
        {
            Crtc[CrtcOverflow] = (byte)((Crtc[CrtcOverflow] & ~0x10) | (value & 0x10));
        }
    }

    private void WriteAttribute(byte value)
    {
        if (!_attributeData)
        {
            AttributeIndex = (byte)(value & 0x3F);
        }
        else if ((AttributeIndex & 0x1F) < Attribute.Length)
        {
            Attribute[AttributeIndex & 0x1F] = value;
        }

        _attributeData = !_attributeData;
    }

    /// <summary>Three writes (red, green, blue) set one entry, then the index moves on.</summary>
    private void WriteDac(byte value)
    {
        var component = _dacWriteIndex % 3;
        _dacLatch[component] = value;
        if (component == 2)
        {
            _dacLatch.CopyTo(Dac, _dacWriteIndex - 2);
        }

        _dacWriteIndex = (_dacWriteIndex + 1) % (256 * 3);
    }

    private byte ReadDac()
    {
        var value = Dac[_dacReadIndex];
        _dacReadIndex = (_dacReadIndex + 1) % (256 * 3);
        return value;
    }
}
