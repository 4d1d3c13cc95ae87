using System.Buffers.Binary;
using Domus.Vmm.Memory;

namespace Domus.Vmm.Devices.Storage;

/// <summary>
/// The bus master of one IDE channel (SFF-8038i, as in the PIIX3): command, status and PRD table address registers
/// (8 ports), and the engine that moves a DMA command's data between the device and guest memory along the table
/// of physical region descriptors (address dword; byte count word, 0 meaning 64 KiB; bit 31 of the second dword
/// ending the table). A transfer runs when the device has a DMA command prepared and the host has started the
/// engine with bus mastering on, in whichever order the host does it; it runs to its end at once. Descriptors
/// outside guest RAM, a table that ends before the transfer and a direction that is not the device's set the error
/// bit and fail the command, so the guest sees its error and the VMM goes on.
/// </summary>
internal sealed class IdeDmaEngine
{
    public const int Length = 8;
    private const byte Start = 0x01, ToMemory = 0x08;
    private const byte Active = 0x01, Error = 0x02, Interrupt = 0x04, DriveDmaCapable = 0x60;
    private const uint EndOfTable = 0x8000_0000;
    private const int DescriptorSize = 8, LargestRegion = 0x1_0000;

    private readonly IdeChannel _channel;
    private readonly GuestMemory _memory;
    private byte _command;
    private byte _status;
    private uint _prdTable;
    private bool _busMasterEnabled;

    // Where the engine is in the table: a transfer that leaves regions unused goes on with them.
    private ulong _descriptor;
    private int _consumed;

    public IdeDmaEngine(IdeChannel channel, GuestMemory memory)
    {
        _channel = channel;
        _memory = memory;
        channel.AttachBusMaster(this);
    }

    public void Read(int offset, Span<byte> data)
    {
        lock (_channel.SyncRoot)
        {
            for (var i = 0; i < data.Length; i++)
            {
                data[i] = ReadRegister(offset + i);
            }
        }
    }

    public void Write(int offset, ReadOnlySpan<byte> data)
    {
        lock (_channel.SyncRoot)
        {
            for (var i = 0; i < data.Length; i++)
            {
                WriteRegister(offset + i, data[i]);
            }
        }
    }

    /// <summary>The PCI command register's bus-master bit: without it the engine cannot reach memory and waits.</summary>
    public void EnableBusMastering(bool enabled)
    {
        lock (_channel.SyncRoot)
        {
            _busMasterEnabled = enabled;
            Run();
        }
    }

    /// <summary>The device raised its interrupt. Called with the channel's lock held.</summary>
    public void DeviceInterrupted() => _status |= Interrupt;

    /// <summary>Moves a prepared transfer if the engine may. Called with the channel's lock held.</summary>
    public void Run()
    {
        if ((_command & Start) == 0 || (_status & Active) == 0 || !_busMasterEnabled || _channel.DmaDevice is not { } device)
        {
            return;
        }

        if (device.DmaToMemory != ((_command & ToMemory) != 0))
        {
            Abort(device);
            return;
        }

        while (device.DmaPending && (_status & Active) != 0)
        {
            if (!TryRegion(_descriptor, DescriptorSize, out var descriptor))
            {
                Abort(device);
                return;
            }

            var address = BinaryPrimitives.ReadUInt32LittleEndian(descriptor) & ~1u;
            var control = BinaryPrimitives.ReadUInt32LittleEndian(descriptor[4..]);
            var size = (int)(control & 0xFFFE) is var bytes and not 0 ? bytes : LargestRegion;
            var length = (int)Math.Min(size - _consumed, device.DmaRemaining);
            if (!TryRegion(address + (ulong)_consumed, length, out var region))
            {
                Abort(device);
                return;
            }

            device.TransferDma(region);
            _consumed += length;
            if (_consumed == size)
            {
                NextDescriptor(last: (control & EndOfTable) != 0);
            }
        }

        if (device.DmaPending)
        {
            Abort(device); // the table ended before the transfer did
        }
    }

    private byte ReadRegister(int offset) => offset switch
    {
        0 => _command,
        2 => _status,
        >= 4 and < 8 => (byte)(_prdTable >> (8 * (offset - 4))),
        _ => 0,
    };

    private void WriteRegister(int offset, byte value)
    {
        switch (offset)
        {
            case 0:
                WriteCommand(value);
                break;
            case 2: // error and interrupt are cleared by writing ones; the drive capability bits are the host's to keep
                _status = (byte)((_status & Active) | (_status & ~value & (Error | Interrupt)) | (value & DriveDmaCapable));
                break;
            case >= 4 and < 8:
                var shift = 8 * (offset - 4);
                _prdTable = ((_prdTable & ~(0xFFu << shift)) | ((uint)value << shift)) & ~3u;
                break;
        }
    }

    /// <summary>Starting begins at the top of the table; stopping halts the engine and forgets where it was.</summary>
    private void WriteCommand(byte value)
    {
        var wasStarted = (_command & Start) != 0;
        _command = (byte)(value & (Start | ToMemory));
        if ((_command & Start) == 0)
        {
            _status &= unchecked((byte)~Active);
        }
        else if (!wasStarted)
        {
            _status |= Active;
            (_descriptor, _consumed) = (_prdTable, 0);
            Run();
        }
    }

    private void NextDescriptor(bool last)
    {
        if (last)
        {
            _status &= unchecked((byte)~Active); // the table is used up: the transfer is all in memory
        }
        else
        {
            (_descriptor, _consumed) = (_descriptor + DescriptorSize, 0);
        }
    }

    /// <summary>Guest RAM at <paramref name="address"/>; DMA reaches neither ROM nor addresses without memory.</summary>
    private bool TryRegion(ulong address, int length, out Span<byte> region)
    {
        if (!_memory.IsRam(address, (ulong)length))
        {
            region = default;
            return false;
        }

        region = _memory.GetSpan(address, length);
        return true;
    }

    private void Abort(AtaDevice device)
    {
        _status = (byte)((_status | Error) & ~Active);
        device.AbortDma();
    }
}
