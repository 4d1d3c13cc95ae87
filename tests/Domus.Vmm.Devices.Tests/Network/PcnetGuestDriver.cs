using System.Buffers.Binary;
using Domus.Vmm.Devices.Network;
using Domus.Vmm.Memory;

namespace Domus.Vmm.Devices.Tests.Network;

/// <summary>
/// Plays the guest's pcnet32 driver as Linux's does it: resets the card, picks a software style, writes the
/// initialization block and the descriptor rings into guest memory, and moves frames through the rings with
/// the registers, all through the card's I/O ports.
/// </summary>
public sealed class PcnetGuestDriver(PcnetController card, GuestMemory memory, int style) : IGuestNicDriver
{
    public const int ReceiveCount = 16, TransmitCount = 8, BufferSize = 1544;
    public const ulong InitBlock = 0x1000, ReceiveRing = 0x2000, TransmitRing = 0x3000, ReceiveBuffers = 0x10000, TransmitBuffers = 0x20000;

    private int _receiveIndex, _transmitIndex;

    public int DescriptorSize => style == 0 ? 8 : 16;

    public void WriteCsr(int index, ushort value)
    {
        Port(0x12, (ushort)index);
        Port(0x10, value);
    }

    public ushort ReadCsr(int index)
    {
        Port(0x12, (ushort)index);
        return Port(0x10);
    }

    public void WriteBcr(int index, ushort value)
    {
        Port(0x12, (ushort)index);
        Port(0x16, value);
    }

    public ushort ReadBcr(int index)
    {
        Port(0x12, (ushort)index);
        return Port(0x16);
    }

    public void Reset() => Port(0x14);

    /// <summary>Resets, sets the style, gives every receive buffer to the card and initializes it; true once IDON is up.</summary>
    public bool Initialize(ReadOnlySpan<byte> mac, ushort mode = 0, ulong logicalFilter = 0)
    {
        Reset();
        WriteBcr(20, (ushort)style);
        Span<byte> block = stackalloc byte[28];
        block.Clear();
        BinaryPrimitives.WriteUInt16LittleEndian(block, mode);
        if (style == 0)
        {
            mac.CopyTo(block[2..]);
            BinaryPrimitives.WriteUInt64LittleEndian(block[8..], logicalFilter);
            BinaryPrimitives.WriteUInt32LittleEndian(block[16..], (uint)ReceiveRing | (4u << 29));
            BinaryPrimitives.WriteUInt32LittleEndian(block[20..], (uint)TransmitRing | (3u << 29));
        }
        else
        {
            block[2] = 4 << 4;
            block[3] = 3 << 4;
            mac.CopyTo(block[4..]);
            BinaryPrimitives.WriteUInt64LittleEndian(block[12..], logicalFilter);
            BinaryPrimitives.WriteUInt32LittleEndian(block[20..], (uint)ReceiveRing);
            BinaryPrimitives.WriteUInt32LittleEndian(block[24..], (uint)TransmitRing);
        }

        memory.Write(InitBlock, block);
        for (var i = 0; i < ReceiveCount; i++)
        {
            GiveReceiveBuffer(i);
        }

        for (var i = 0; i < TransmitCount; i++)
        {
            WriteDescriptor(TransmitRing, i, 0, 0, 0);
        }

        _receiveIndex = _transmitIndex = 0;
        WriteCsr(1, (ushort)InitBlock);
        WriteCsr(2, (ushort)(InitBlock >> 16));
        WriteCsr(0, 0x0001);
        return (ReadCsr(0) & 0x0100) != 0;
    }

    public void Start() => WriteCsr(0, 0x0042);

    /// <summary>Queues a frame in <paramref name="pieces"/> descriptors and asks the card to send it (TDMD).</summary>
    public void Send(ReadOnlySpan<byte> frame, int pieces = 1)
    {
        var size = (frame.Length + pieces - 1) / pieces;
        var first = _transmitIndex;
        for (var piece = 0; piece < pieces; piece++)
        {
            var chunk = frame.Slice(piece * size, Math.Min(size, frame.Length - (piece * size)));
            var buffer = TransmitBuffers + ((ulong)_transmitIndex * 0x800);
            memory.Write(buffer, chunk);
            var status = (ushort)((piece == 0 ? 0x0200 : 0) | (piece == pieces - 1 ? 0x0100 : 0) | (_transmitIndex == first ? 0 : 0x8000));
            WriteDescriptor(TransmitRing, _transmitIndex, (uint)buffer, (ushort)-chunk.Length, status);
            _transmitIndex = (_transmitIndex + 1) % TransmitCount;
        }

        // The first descriptor goes to the card last, as drivers do, so that it never sees half a frame.
        SetStatus(TransmitRing, first, (ushort)(Status(TransmitRing, first) | 0x8000));
        WriteCsr(0, 0x0048);
    }

    void IGuestNicDriver.Send(ReadOnlySpan<byte> frame) => Send(frame);

    public byte[]? TakeFrame() => TakeReceived()?.Frame;

    public ushort TransmitStatus(int index) => Status(TransmitRing, index);

    public ushort ReceiveStatus(int index) => Status(ReceiveRing, index);

    /// <summary>The next received frame (without its FCS) and its status, if the card has handed one back.</summary>
    public (byte[] Frame, ushort Status, byte[] Fcs)? TakeReceived()
    {
        var status = Status(ReceiveRing, _receiveIndex);
        if ((status & 0x8000) != 0)
        {
            return null;
        }

        var location = ReceiveRing + ((ulong)_receiveIndex * (ulong)DescriptorSize);
        var count = style == 0 ? memory.Read<ushort>(location + 6) & 0xFFF : (int)(memory.Read<uint>(style == 3 ? location : location + 8) & 0xFFF);
        var data = new byte[count];
        memory.Read(ReceiveBuffers + ((ulong)_receiveIndex * 0x800), data);
        GiveReceiveBuffer(_receiveIndex);
        _receiveIndex = (_receiveIndex + 1) % ReceiveCount;
        return (data[..^4], status, data[^4..]);
    }

    public void GiveReceiveBuffer(int index) =>
        WriteDescriptor(ReceiveRing, index, (uint)(ReceiveBuffers + ((ulong)index * 0x800)), unchecked((ushort)-BufferSize), 0x8000);

    private void WriteDescriptor(ulong ring, int index, uint address, ushort byteCount, ushort status)
    {
        var location = ring + ((ulong)index * (ulong)DescriptorSize);
        if (style == 0)
        {
            memory.Write(location, (ushort)address);
            memory.Write(location + 4, byteCount);
            memory.Write(location + 6, (ushort)0);
            memory.Write(location + 2, (ushort)((address >> 16 & 0xFF) | status));
            return;
        }

        memory.Write(style == 3 ? location + 8 : location, address);
        memory.Write(style == 3 ? location : location + 8, 0u);
        memory.Write(location + 4, byteCount);
        memory.Write(location + 6, status);
    }

    private ushort Status(ulong ring, int index)
    {
        var location = ring + ((ulong)index * (ulong)DescriptorSize);
        return style == 0 ? (ushort)(memory.Read<ushort>(location + 2) & 0xFF00) : memory.Read<ushort>(location + 6);
    }

    private void SetStatus(ulong ring, int index, ushort status)
    {
        var location = ring + ((ulong)index * (ulong)DescriptorSize);
        if (style == 0)
        {
            memory.Write(location + 2, (ushort)((memory.Read<ushort>(location + 2) & 0xFF) | status));
        }
        else
        {
            memory.Write(location + 6, status);
        }
    }

    private void Port(ushort offset, ushort value)
    {
        Span<byte> data = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(data, value);
        card.Write(offset, data);
    }

    private ushort Port(ushort offset)
    {
        Span<byte> data = stackalloc byte[2];
        card.Read(offset, data);
        return BinaryPrimitives.ReadUInt16LittleEndian(data);
    }
}
