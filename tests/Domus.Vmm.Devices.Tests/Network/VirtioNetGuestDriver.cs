using System.Buffers.Binary;
using Domus.Vmm.Devices.Network;
using Domus.Vmm.Memory;

namespace Domus.Vmm.Devices.Tests.Network;

/// <summary>
/// Plays a legacy virtio-net driver (Linux's virtio_pci legacy path): resets the device, acknowledges it, takes the
/// MAC feature, places both queues by page frame number, posts receive buffers, and moves packets (each behind its
/// 10-byte header) through the rings, notifying the device through its I/O window.
/// </summary>
public sealed class VirtioNetGuestDriver(VirtioNetDevice device, GuestMemory memory) : IGuestNicDriver
{
    public const int Buffers = 16, BufferSize = 2048;
    public const uint ReceivePageFrame = 0x10, TransmitPageFrame = 0x20;
    public const ulong ReceiveBuffers = 0x40000, TransmitBuffers = 0x60000;
    private const int Size = VirtioNetDevice.QueueSize;

    private ushort _receiveAvailable, _receiveUsedSeen, _transmitAvailable;

    public static ulong Descriptors(uint pageFrame) => (ulong)pageFrame * 4096;

    public static ulong Available(uint pageFrame) => Descriptors(pageFrame) + (Size * 16);

    public static ulong Used(uint pageFrame) => (Available(pageFrame) + 4 + (Size * 2) + 2 + 4095) / 4096 * 4096;

    public uint Read(ushort offset, int width)
    {
        Span<byte> data = stackalloc byte[4];
        data.Clear();
        device.Read(offset, data[..width]);
        return BinaryPrimitives.ReadUInt32LittleEndian(data);
    }

    public void Write(ushort offset, uint value, int width)
    {
        Span<byte> data = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(data, value);
        device.Write(offset, data[..width]);
    }

    /// <summary>Brings the device up as a driver does; returns the features the device offered.</summary>
    public uint Initialize()
    {
        Write(0x12, 0, 1);
        Write(0x12, 1, 1);
        Write(0x12, 3, 1);
        var offered = Read(0x00, 4);
        Write(0x04, offered & (1 << 5), 4);
        foreach (var (queue, pageFrame) in new[] { (0u, ReceivePageFrame), (1u, TransmitPageFrame) })
        {
            Write(0x0E, queue, 2);
            Assert.Equal((uint)Size, Read(0x0C, 2));
            Write(0x08, pageFrame, 4);
        }

        _receiveAvailable = _receiveUsedSeen = _transmitAvailable = 0;
        for (var i = 0; i < Buffers; i++)
        {
            WriteDescriptor(ReceivePageFrame, i, ReceiveBuffers + ((ulong)i * BufferSize), BufferSize, 2, 0);
            Offer(ReceivePageFrame, ref _receiveAvailable, (ushort)i);
        }

        Write(0x12, 7, 1);
        return offered;
    }

    public byte[] Mac()
    {
        var mac = new byte[6];
        for (var i = 0; i < 6; i++)
        {
            mac[i] = (byte)Read((ushort)(0x14 + i), 1);
        }

        return mac;
    }

    /// <summary>
    /// Sends a packet; with <paramref name="splitHeader"/> the header and the frame are two descriptors, as Linux chains
    /// them. The queue is notified through the register, or by <paramref name="notify"/> when given (a doorbell).
    /// </summary>
    public void Send(ReadOnlySpan<byte> frame, bool splitHeader, Action? notify = null)
    {
        var slot = _transmitAvailable % Buffers;
        var buffer = TransmitBuffers + ((ulong)slot * 4 * BufferSize);
        memory.Write(buffer, new byte[10]);
        if (splitHeader)
        {
            memory.Write(buffer + 64, frame);
            WriteDescriptor(TransmitPageFrame, 2 * slot, buffer, 10, 1, (ushort)((2 * slot) + 1));
            WriteDescriptor(TransmitPageFrame, (2 * slot) + 1, buffer + 64, (uint)frame.Length, 0, 0);
        }
        else
        {
            memory.Write(buffer + 10, frame);
            WriteDescriptor(TransmitPageFrame, 2 * slot, buffer, (uint)(10 + frame.Length), 0, 0);
        }

        Offer(TransmitPageFrame, ref _transmitAvailable, (ushort)(2 * slot));
        if (notify is null)
        {
            Write(0x10, 1, 2);
        }
        else
        {
            notify();
        }
    }

    public void Send(ReadOnlySpan<byte> frame) => Send(frame, splitHeader: true);

    public byte[]? TakeFrame() => TakeReceived()?.Packet[10..];

    /// <summary>The next used receive buffer: the whole packet (header included) as the device wrote it.</summary>
    public (byte[] Packet, ushort Head)? TakeReceived()
    {
        var used = Used(ReceivePageFrame);
        if (memory.Read<ushort>(used + 2) == _receiveUsedSeen)
        {
            return null;
        }

        var element = used + 4 + ((ulong)(_receiveUsedSeen % Size) * 8);
        var head = (ushort)memory.Read<uint>(element);
        var length = memory.Read<uint>(element + 4);
        _receiveUsedSeen++;
        var packet = new byte[length];
        memory.Read(ReceiveBuffers + ((ulong)head * BufferSize), packet);
        Offer(ReceivePageFrame, ref _receiveAvailable, head);
        return (packet, head);
    }

    public ushort TransmitUsedIndex => memory.Read<ushort>(Used(TransmitPageFrame) + 2);

    public void SuppressInterrupts(uint pageFrame, bool suppress) => memory.Write(Available(pageFrame), (ushort)(suppress ? 1 : 0));

    public void WriteDescriptor(uint pageFrame, int index, ulong address, uint length, ushort flags, ushort next)
    {
        var at = Descriptors(pageFrame) + ((ulong)index * 16);
        memory.Write(at, address);
        memory.Write(at + 8, length);
        memory.Write(at + 12, flags);
        memory.Write(at + 14, next);
    }

    public void Offer(uint pageFrame, ref ushort available, ushort head)
    {
        var ring = Available(pageFrame);
        memory.Write(ring + 4 + ((ulong)(available % Size) * 2), head);
        available++;
        memory.Write(ring + 2, available);
    }
}
