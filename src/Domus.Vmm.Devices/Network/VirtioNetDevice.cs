using System.Buffers.Binary;
using Domus.Vmm.Backends.Network;
using Domus.Vmm.Devices.Bus;
using Domus.Vmm.Devices.Pci;
using Domus.Vmm.Devices.Virtio;
using Domus.Vmm.Memory;

namespace Domus.Vmm.Devices.Network;

/// <summary>
/// A virtio network card through the legacy virtio-pci I/O window (PCI 1af4:1000, which Linux, iPXE and the
/// Windows virtio drivers all drive): features, the two queues (receive 0, transmit 1) by page frame number,
/// the status byte, the ISR byte that a read clears, and the MAC in the device configuration at 0x14. Frames
/// carry the 10-byte virtio-net header; the device offers no offloads, so the header is all zeros both ways.
/// A driver that breaks the protocol sets NEEDS_RESET and is ignored until it resets the device. The transmit queue's
/// notification is a doorbell, which the machine may take without stopping the vCPU.
/// </summary>
public sealed class VirtioNetDevice : INetworkCard, IDoorbellDevice
{
    /// <summary>The legacy (transitional) virtio function 1af4:1000; its subsystem id 1 says which device: network.</summary>
    public static readonly PciIdentity PciIdentity = new(0x1af4, 0x1000, 0x020000, 0x00, SubsystemVendor: 0x1af4, Subsystem: 1);

    public const int IoLength = 0x20;
    public const int QueueSize = 256;

    private const int HostFeatures = 0x00, GuestFeatures = 0x04, QueuePageFrame = 0x08, QueueSizePort = 0x0C, QueueSelect = 0x0E,
        QueueNotify = 0x10, DeviceStatus = 0x12, InterruptStatus = 0x13, DeviceConfiguration = 0x14;

    private const uint MacFeature = 1 << 5, LinkStatusFeature = 1 << 16;
    private const byte DriverOk = 4, NeedsReset = 0x40;
    private const int HeaderLength = 10;
    private const int TransmitQueueIndex = 1;
    private const ushort LinkUp = 1;

    private readonly byte[] _mac;
    private readonly IInterruptLine _interrupt;
    private readonly INetworkBackend _backend;
    private readonly Virtqueue[] _queues;
    private readonly GuestMemory _memory;
    private readonly byte[] _packet = new byte[HeaderLength + TapDevice.MaxFrame];
    private readonly Lock _lock = new();
    private uint _guestFeatures;
    private int _selected;
    private byte _status;
    private byte _interruptStatus;

    public VirtioNetDevice(ReadOnlySpan<byte> mac, GuestMemory memory, IInterruptLine interrupt, INetworkBackend backend)
    {
        _mac = mac.ToArray();
        _memory = memory;
        _interrupt = interrupt;
        _backend = backend;
        _queues = [new Virtqueue(memory, QueueSize), new Virtqueue(memory, QueueSize)];
        Doorbells = [new Doorbell(QueueNotify, sizeof(ushort), TransmitQueueIndex, RingTransmit)];
    }

    public IReadOnlyList<Doorbell> Doorbells { get; }

    private Virtqueue ReceiveQueue => _queues[0];

    private Virtqueue TransmitQueue => _queues[TransmitQueueIndex];

    public void Read(ushort offset, Span<byte> data)
    {
        lock (_lock)
        {
            uint value = offset switch
            {
                HostFeatures => MacFeature | LinkStatusFeature,
                GuestFeatures => _guestFeatures,
                QueuePageFrame => _selected < _queues.Length ? _queues[_selected].PageFrame : 0,
                QueueSizePort => _selected < _queues.Length ? (uint)QueueSize : 0,
                QueueSelect => (uint)_selected,
                DeviceStatus => _status,
                InterruptStatus => TakeInterruptStatus(),
                >= DeviceConfiguration and < DeviceConfiguration + 6 => Configuration(offset - DeviceConfiguration, data.Length),
                DeviceConfiguration + 6 => LinkUp,
                _ => 0,
            };
            Span<byte> bytes = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
            bytes[..Math.Min(data.Length, 4)].CopyTo(data);
        }
    }

    public void Write(ushort offset, ReadOnlySpan<byte> data)
    {
        Span<byte> bytes = stackalloc byte[4];
        bytes.Clear();
        data[..Math.Min(data.Length, 4)].CopyTo(bytes);
        var value = BinaryPrimitives.ReadUInt32LittleEndian(bytes);
        lock (_lock)
        {
            switch (offset)
            {
                case GuestFeatures:
                    _guestFeatures = value & (MacFeature | LinkStatusFeature);
                    break;
                case QueuePageFrame when _selected < _queues.Length:
                    _queues[_selected].SetPageFrame(value);
                    break;
                case QueueSelect:
                    _selected = (int)(value & 0xFFFF);
                    break;
                case QueueNotify when (value & 0xFFFF) == TransmitQueueIndex:
                    Guarded(Transmit);
                    break;
                case DeviceStatus:
                    SetStatus((byte)value);
                    break;
            }
        }
    }

    /// <summary>A frame from the wire: into the next receive buffer, or dropped when the driver has none ready.</summary>
    public void Receive(ReadOnlySpan<byte> frame)
    {
        lock (_lock)
        {
            if ((_status & (DriverOk | NeedsReset)) != DriverOk || frame.Length > _packet.Length - HeaderLength)
            {
                return;
            }

            // The header stays all zeros: no offloads were offered.
            frame.CopyTo(_packet.AsSpan(HeaderLength));
            var length = HeaderLength + frame.Length;
            Guarded(() => Store(length));
        }
    }

    /// <summary>Scatters the packet (header and frame) over the next receive chain's buffers.</summary>
    private void Store(int length)
    {
        if (ReceiveQueue.Next() is not { } chain)
        {
            return;
        }

        var written = 0;
        foreach (var (address, capacity, writable) in chain.Buffers)
        {
            if (!writable)
            {
                throw new VirtioException("a receive buffer the device may not write");
            }

            var chunk = Math.Min(capacity, length - written);
            _memory.Write(address, _packet.AsSpan(written, chunk));
            written += chunk;
            if (written == length)
            {
                break;
            }
        }

        ReceiveQueue.Use(chain.Head, (uint)written);
        Notify(ReceiveQueue);
    }

    private void RingTransmit()
    {
        lock (_lock)
        {
            Guarded(Transmit);
        }
    }

    /// <summary>Sends every packet the driver made available, each gathered from its chain without the header.</summary>
    private void Transmit()
    {
        var sent = false;
        while (TransmitQueue.Next() is { } chain)
        {
            var length = 0;
            foreach (var (address, bufferLength, _) in chain.Buffers)
            {
                var chunk = Math.Min(bufferLength, _packet.Length - length);
                _memory.Read(address, _packet.AsSpan(length, chunk));
                length += chunk;
            }

            if (length > HeaderLength)
            {
                _backend.Send(_packet.AsSpan(HeaderLength, length - HeaderLength));
            }

            TransmitQueue.Use(chain.Head, 0);
            sent = true;
        }

        if (sent)
        {
            Notify(TransmitQueue);
        }
    }

    private void Notify(Virtqueue queue)
    {
        if (!queue.InterruptSuppressed)
        {
            _interruptStatus |= 1;
            _interrupt.SetLevel(true);
        }
    }

    private uint TakeInterruptStatus()
    {
        var status = _interruptStatus;
        _interruptStatus = 0;
        _interrupt.SetLevel(false);
        return status;
    }

    private void SetStatus(byte status)
    {
        _status = status;
        if (status == 0)
        {
            foreach (var queue in _queues)
            {
                queue.Reset();
            }

            _guestFeatures = 0;
            _selected = 0;
            TakeInterruptStatus();
        }
    }

    private uint Configuration(int offset, int width)
    {
        uint value = 0;
        for (var i = 0; i < width && offset + i < _mac.Length; i++)
        {
            value |= (uint)_mac[offset + i] << (8 * i);
        }

        return value;
    }

    /// <summary>Runs a queue operation; a driver's protocol or address error stops the device instead of the VMM.</summary>
    private void Guarded(Action operation)
    {
        if ((_status & NeedsReset) != 0)
        {
            return;
        }

        try
        {
            operation();
        }
        catch (Exception e) when (e is VirtioException or GuestMemoryException)
        {
            _status |= NeedsReset;
        }
    }
}
