using System.Buffers.Binary;
using System.IO.Hashing;
using Domus.Vmm.Backends.Network;
using Domus.Vmm.Devices.Bus;
using Domus.Vmm.Devices.Pci;
using Domus.Vmm.Memory;

namespace Domus.Vmm.Devices.Network;

/// <summary>
/// The AMD PCnet-PCI II (Am79C970A), the card Xen 3.0's qemu-dm gave HVM guests, in its word I/O mode: the
/// address PROM at 0x00-0x0F, RDP (0x10), RAP (0x12), RESET (0x14) and BDP (0x16) over 32 ports. The driver
/// writes an initialization block and descriptor rings into guest memory; the controller reads frames to send
/// from the transmit ring and writes received ones into the receive ring, with the status bits and the
/// interrupt of the datasheet. A bad guest address sets MERR; nothing a guest writes can fail the VMM.
/// </summary>
public sealed class PcnetController : INetworkCard
{
    public const int IoLength = 32;

    /// <summary>AMD's 1022:2000, an Ethernet controller, revision 0x10 as QEMU's.</summary>
    public static readonly PciIdentity PciIdentity = new(0x1022, 0x2000, 0x020000, 0x10);
    private const ushort DataPort = 0x10, AddressPort = 0x12, ResetPort = 0x14, BusDataPort = 0x16;

    private const ushort Init = 0x0001, Start = 0x0002, Stop = 0x0004, TransmitDemand = 0x0008, TransmitOn = 0x0010,
        ReceiveOn = 0x0020, InterruptEnable = 0x0040, InterruptFlag = 0x0080, InitDone = 0x0100, TransmitInterrupt = 0x0200,
        ReceiveInterrupt = 0x0400, MemoryError = 0x0800, Missed = 0x1000, CollisionError = 0x2000, Babble = 0x4000, ErrorSummary = 0x8000;

    /// <summary>CSR0's write-1-to-clear status bits, and the ones CSR3 can mask.</summary>
    private const ushort StatusBits = 0x7F00, MaskableBits = InitDone | TransmitInterrupt | ReceiveInterrupt | MemoryError | Missed;

    private const ushort PromiscuousMode = 0x8000, NoBroadcastMode = 0x4000;
    private const int MinimumFrame = 60, FcsLength = 4;

    private readonly GuestMemory _memory;
    private readonly IInterruptLine _interrupt;
    private readonly INetworkBackend _backend;
    private readonly byte[] _prom = new byte[16];
    private readonly ushort[] _csr = new ushort[128];
    private readonly ushort[] _bcr = new ushort[64];
    private readonly byte[] _frame = new byte[TapDevice.MaxFrame + FcsLength];
    private readonly Lock _lock = new();
    private int _registerAddress;
    private int _style;
    private uint _receiveRing, _transmitRing;
    private int _receiveLength, _transmitLength, _receiveIndex, _transmitIndex;
    private ulong _logicalFilter;

    public PcnetController(ReadOnlySpan<byte> mac, GuestMemory memory, IInterruptLine interrupt, INetworkBackend backend)
    {
        _memory = memory;
        _interrupt = interrupt;
        _backend = backend;
        mac.CopyTo(_prom);
        _prom[14] = _prom[15] = (byte)'W';
        var checksum = 0;
        foreach (var b in _prom.AsSpan(0, 12))
        {
            checksum += b;
        }

        BinaryPrimitives.WriteUInt16LittleEndian(_prom.AsSpan(12), (ushort)(checksum + ('W' * 2)));
        _bcr[2] = 0x0002;
        _bcr[18] = 0x9001;
        _bcr[22] = 0xFF06;
        SoftReset();
    }

    public void Read(ushort offset, Span<byte> data)
    {
        lock (_lock)
        {
            if (offset + data.Length <= _prom.Length)
            {
                _prom.AsSpan(offset, data.Length).CopyTo(data);
                return;
            }

            ushort value = offset switch
            {
                DataPort => ReadCsr(_registerAddress),
                AddressPort => (ushort)_registerAddress,
                BusDataPort => _bcr[_registerAddress & 0x3F],
                _ => 0,
            };
            if (offset == ResetPort)
            {
                SoftReset();
            }

            if (data.Length == 2)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(data, value);
            }
            else
            {
                data.Fill(0xFF);
            }
        }
    }

    public void Write(ushort offset, ReadOnlySpan<byte> data)
    {
        if (data.Length != 2)
        {
            return;
        }

        var value = BinaryPrimitives.ReadUInt16LittleEndian(data);
        lock (_lock)
        {
            switch (offset)
            {
                case DataPort:
                    WriteCsr(_registerAddress, value);
                    break;
                case AddressPort:
                    _registerAddress = value & 0x7F;
                    break;
                case BusDataPort:
                    WriteBcr(_registerAddress & 0x3F, value);
                    break;
            }
        }
    }

    /// <summary>A frame from the wire (without FCS): into the receive ring if the card takes it.</summary>
    public void Receive(ReadOnlySpan<byte> frame)
    {
        lock (_lock)
        {
            if ((_csr[0] & ReceiveOn) == 0 || frame.Length < 14 || frame.Length > TapDevice.MaxFrame || Match(frame) is not { } match)
            {
                return;
            }

            try
            {
                Store(frame, match);
            }
            catch (GuestMemoryException)
            {
                _csr[0] |= MemoryError;
            }

            UpdateInterrupt();
        }
    }

    private ushort ReadCsr(int index) => index switch
    {
        0 => (ushort)(_csr[0] & ~(ErrorSummary | InterruptFlag) | ((_csr[0] & (Babble | CollisionError | Missed | MemoryError)) != 0 ? ErrorSummary : 0) | (InterruptPending ? InterruptFlag : 0)),
        58 => _bcr[20],
        88 => 0x1003,
        89 => 0x0262,
        _ => _csr[index],
    };

    private void WriteCsr(int index, ushort value)
    {
        switch (index)
        {
            case 0:
                WriteCommand(value);
                break;
            case 58:
                SetStyle(value);
                break;
            case 88 or 89:
                break;
            default:
                _csr[index] = value;
                break;
        }

        UpdateInterrupt();
    }

    private void WriteBcr(int index, ushort value)
    {
        if (index == 20)
        {
            SetStyle(value);
        }
        else
        {
            _bcr[index] = value;
        }
    }

    /// <summary>SWSTYLE (BCR20, also CSR58): styles 2 and 3 are 32-bit and set SSIZE32.</summary>
    private void SetStyle(ushort value)
    {
        _style = value & 0xFF;
        _bcr[20] = (ushort)(_style | (_style is 2 or 3 ? 0x0100 : 0));
    }

    private void WriteCommand(ushort value)
    {
        _csr[0] &= (ushort)~(value & StatusBits);
        _csr[0] = (ushort)((_csr[0] & ~InterruptEnable) | (value & InterruptEnable));
        if ((value & Stop) != 0)
        {
            _csr[0] = Stop;
            return;
        }

        if ((value & Init) != 0)
        {
            Initialize();
        }

        if ((value & Start) != 0 && (_csr[0] & Stop) == 0)
        {
            _csr[0] |= Start | TransmitOn | ReceiveOn;
        }

        if ((value & TransmitDemand) != 0 && (_csr[0] & TransmitOn) != 0)
        {
            Transmit();
        }
    }

    private void SoftReset()
    {
        Array.Clear(_csr);
        _csr[0] = Stop;
        _csr[4] = 0x0115;
        for (var i = 0; i < 3; i++)
        {
            _csr[12 + i] = BinaryPrimitives.ReadUInt16LittleEndian(_prom.AsSpan(2 * i));
        }

        SetStyle(0);
        _receiveIndex = _transmitIndex = 0;
        UpdateInterrupt();
    }

    /// <summary>Reads the initialization block at CSR2:CSR1: mode, MAC, multicast filter and the two rings.</summary>
    private void Initialize()
    {
        var address = _csr[1] | ((uint)_csr[2] << 16);
        try
        {
            Span<byte> block = stackalloc byte[28];
            if (_style == 0)
            {
                address &= 0xFFFFFF;
                _memory.Read(address, block[..24]);
                _receiveRing = (uint)(BinaryPrimitives.ReadUInt32LittleEndian(block[16..]) & 0xFFFFFF);
                _receiveLength = 1 << (block[19] >> 5);
                _transmitRing = (uint)(BinaryPrimitives.ReadUInt32LittleEndian(block[20..]) & 0xFFFFFF);
                _transmitLength = 1 << (block[23] >> 5);
                LoadAddresses(block[2..8], block[8..16]);
            }
            else
            {
                _memory.Read(address, block);
                _receiveLength = 1 << Math.Min(block[2] >> 4, 9);
                _transmitLength = 1 << Math.Min(block[3] >> 4, 9);
                LoadAddresses(block[4..10], block[12..20]);
                _receiveRing = BinaryPrimitives.ReadUInt32LittleEndian(block[20..]);
                _transmitRing = BinaryPrimitives.ReadUInt32LittleEndian(block[24..]);
            }

            _csr[15] = BinaryPrimitives.ReadUInt16LittleEndian(block);
        }
        catch (GuestMemoryException)
        {
            _csr[0] |= MemoryError;
            return;
        }

        _csr[24] = (ushort)_receiveRing;
        _csr[25] = (ushort)(_receiveRing >> 16);
        _csr[30] = (ushort)_transmitRing;
        _csr[31] = (ushort)(_transmitRing >> 16);
        _csr[76] = (ushort)-_receiveLength;
        _csr[78] = (ushort)-_transmitLength;
        _receiveIndex = _transmitIndex = 0;
        _csr[0] = (ushort)((_csr[0] & ~Stop) | Init | InitDone);
    }

    private void LoadAddresses(ReadOnlySpan<byte> physical, ReadOnlySpan<byte> logicalFilter)
    {
        for (var i = 0; i < 3; i++)
        {
            _csr[12 + i] = BinaryPrimitives.ReadUInt16LittleEndian(physical[(2 * i)..]);
            _csr[8 + i] = BinaryPrimitives.ReadUInt16LittleEndian(logicalFilter[(2 * i)..]);
        }

        _csr[11] = BinaryPrimitives.ReadUInt16LittleEndian(logicalFilter[6..]);
        _logicalFilter = BinaryPrimitives.ReadUInt64LittleEndian(logicalFilter);
    }

    /// <summary>Sends every frame the driver has handed over, from the current transmit descriptor on.</summary>
    private void Transmit()
    {
        try
        {
            for (var sent = 0; sent < _transmitLength; sent++)
            {
                var first = TransmitDescriptor(_transmitIndex);
                if (!first.IsOwnedByController)
                {
                    break;
                }

                // A frame spans the descriptors from STP to ENP; the driver hands them over whole.
                var length = 0;
                var count = 0;
                PcnetDescriptor descriptor;
                do
                {
                    if (count == _transmitLength || !(descriptor = TransmitDescriptor((_transmitIndex + count) % _transmitLength)).IsOwnedByController)
                    {
                        return;
                    }

                    var chunk = Math.Min(descriptor.BufferLength, _frame.Length - length);
                    _memory.Read(descriptor.Address, _frame.AsSpan(length, chunk));
                    length += chunk;
                    count++;
                }
                while ((descriptor.Status & PcnetDescriptor.EndOfPacket) == 0);

                _backend.Send(_frame.AsSpan(0, length));
                for (var i = 0; i < count; i++)
                {
                    var done = TransmitDescriptor(_transmitIndex);
                    done.Complete(_memory, (ushort)(done.Status & ~(PcnetDescriptor.Own | PcnetDescriptor.Error)), 0);
                    _transmitIndex = (_transmitIndex + 1) % _transmitLength;
                }

                _csr[0] |= TransmitInterrupt;
            }
        }
        catch (GuestMemoryException)
        {
            _csr[0] |= MemoryError;
        }
    }

    /// <summary>Which address filter takes the frame (a receive status bit), or null when the card ignores it.</summary>
    private ushort? Match(ReadOnlySpan<byte> frame)
    {
        var destination = frame[..6];
        if ((_csr[15] & PromiscuousMode) != 0)
        {
            return 0;
        }

        if (destination.IndexOfAnyExcept((byte)0xFF) < 0)
        {
            return (_csr[15] & NoBroadcastMode) == 0 ? PcnetDescriptor.BroadcastMatch : null;
        }

        if ((destination[0] & 1) != 0)
        {
            // The Lance hash: the top six bits of the address's little-endian CRC, before its final inversion.
            var hash = ~Crc32.HashToUInt32(destination) >> 26;
            return (_logicalFilter >> (int)hash & 1) != 0 ? PcnetDescriptor.LogicalMatch : null;
        }

        for (var i = 0; i < 3; i++)
        {
            if (BinaryPrimitives.ReadUInt16LittleEndian(destination[(2 * i)..]) != _csr[12 + i])
            {
                return null;
            }
        }

        return PcnetDescriptor.PhysicalMatch;
    }

    /// <summary>Writes the frame, padded and with its FCS as the wire carried it, over as many descriptors as it needs.</summary>
    private void Store(ReadOnlySpan<byte> frame, ushort match)
    {
        var length = Math.Max(frame.Length, MinimumFrame);
        frame.CopyTo(_frame);
        _frame.AsSpan(frame.Length, length - frame.Length).Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(_frame.AsSpan(length), Crc32.HashToUInt32(_frame.AsSpan(0, length)));
        length += FcsLength;

        var needed = 0;
        for (var capacity = 0; capacity < length; needed++)
        {
            var descriptor = needed < _receiveLength ? ReceiveDescriptor((_receiveIndex + needed) % _receiveLength) : default;
            if (!descriptor.IsOwnedByController)
            {
                _csr[0] |= Missed;
                return;
            }

            capacity += descriptor.BufferLength;
        }

        var written = 0;
        for (var i = 0; i < needed; i++)
        {
            var descriptor = ReceiveDescriptor(_receiveIndex);
            var chunk = Math.Min(descriptor.BufferLength, length - written);
            _memory.Write(descriptor.Address, _frame.AsSpan(written, chunk));
            written += chunk;
            var last = i == needed - 1;
            var status = (ushort)((i == 0 ? PcnetDescriptor.StartOfPacket : 0) | (last ? PcnetDescriptor.EndOfPacket | match : 0));
            descriptor.Complete(_memory, status, last ? (uint)length : 0);
            _receiveIndex = (_receiveIndex + 1) % _receiveLength;
        }

        _csr[0] |= ReceiveInterrupt;
    }

    private PcnetDescriptor ReceiveDescriptor(int index) =>
        PcnetDescriptor.Read(_memory, _receiveRing + ((ulong)index * (ulong)PcnetDescriptor.SizeOf(_style)), _style);

    private PcnetDescriptor TransmitDescriptor(int index) =>
        PcnetDescriptor.Read(_memory, _transmitRing + ((ulong)index * (ulong)PcnetDescriptor.SizeOf(_style)), _style);

    private bool InterruptPending => (_csr[0] & (Babble | (MaskableBits & ~_csr[3]))) != 0;

    private void UpdateInterrupt() => _interrupt.SetLevel(InterruptPending && (_csr[0] & InterruptEnable) != 0);
}
