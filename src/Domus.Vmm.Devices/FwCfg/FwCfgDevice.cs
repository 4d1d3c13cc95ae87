using System.Buffers.Binary;
using System.Text;
using Domus.Vmm.Devices.Bus;

namespace Domus.Vmm.Devices.FwCfg;

/// <summary>
/// QEMU's firmware configuration interface, through which SeaBIOS learns the machine: a 16-bit selector
/// (offset 0, port 0x510) and a byte-wide data register (offset 1, port 0x511) that reads the selected
/// item from its start. Items are numbered (signature, interface id, RAM size, CPU count) or named files
/// listed in the file directory (item 0x19): e820, boot order, the serial console port, ACPI tables.
/// Only the traditional port interface is offered (no DMA); SeaBIOS reads large items with rep insb.
/// </summary>
public sealed class FwCfgDevice : IPortIoDevice
{
    public const ushort Signature = 0x00, Id = 0x01, RamSize = 0x03, CpuCount = 0x05, MaxCpus = 0x0F, FileDirectory = 0x19;
    private const ushort FirstFile = 0x20;
    private const int FileNameLength = 56;

    private readonly Lock _lock = new();
    private readonly Dictionary<ushort, byte[]> _items = [];
    private readonly List<(string Name, ushort Selector)> _files = [];
    private byte[] _selected = [];
    private int _position;

    public FwCfgDevice()
    {
        _items[Signature] = "QEMU"u8.ToArray();
        _items[Id] = [1, 0, 0, 0];
        _items[FileDirectory] = BuildDirectory();
    }

    public void AddItem(ushort selector, byte[] data)
    {
        lock (_lock)
        {
            _items[selector] = data;
        }
    }

    public void AddItem(ushort selector, ulong value)
    {
        var data = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(data, value);
        AddItem(selector, data);
    }

    public void AddFile(string name, byte[] data)
    {
        if (Encoding.ASCII.GetByteCount(name) >= FileNameLength)
        {
            throw new ArgumentException($"fw_cfg file name '{name}' is too long", nameof(name));
        }

        lock (_lock)
        {
            var selector = (ushort)(FirstFile + _files.Count);
            _files.Add((name, selector));
            _items[selector] = data;
            _items[FileDirectory] = BuildDirectory();
        }
    }

    public void Read(ushort offset, Span<byte> data)
    {
        lock (_lock)
        {
            if (offset != 1)
            {
                data.Clear();
                return;
            }

            for (var i = 0; i < data.Length; i++)
            {
                data[i] = _position < _selected.Length ? _selected[_position] : (byte)0;
                _position++;
            }
        }
    }

    public void Write(ushort offset, ReadOnlySpan<byte> data)
    {
        if (offset != 0 || data.Length != 2)
        {
            return;
        }

        lock (_lock)
        {
            var selector = BinaryPrimitives.ReadUInt16LittleEndian(data);
            _selected = _items.GetValueOrDefault(selector, []);
            _position = 0;
        }
    }

    /// <summary>Big-endian: a 32-bit count, then per file its size, selector, two reserved bytes and a 56-byte name.</summary>
    private byte[] BuildDirectory()
    {
        var directory = new byte[4 + (_files.Count * 64)];
        BinaryPrimitives.WriteUInt32BigEndian(directory, (uint)_files.Count);
        for (var i = 0; i < _files.Count; i++)
        {
            var entry = directory.AsSpan(4 + (i * 64), 64);
            BinaryPrimitives.WriteUInt32BigEndian(entry, (uint)_items[_files[i].Selector].Length);
            BinaryPrimitives.WriteUInt16BigEndian(entry[4..], _files[i].Selector);
            Encoding.ASCII.GetBytes(_files[i].Name, entry[8..]);
        }

        return directory;
    }
}
