using System.Buffers.Binary;
using Domus.Vmm.Memory;

namespace Domus.Vmm.Devices.Virtio;

/// <summary>
/// A split virtqueue in the legacy layout (virtio 0.9.5 / 1.x "legacy interface"): the descriptor table, the
/// available ring right after it, and the used ring on the next 4 KiB boundary, all from one page frame number.
/// The device side: take the next chain the driver made available, and return it as used with a length.
/// Every guest index and address is checked against the queue's size and guest memory.
/// </summary>
public sealed class Virtqueue(GuestMemory memory, int size)
{
    public const int Alignment = 4096;
    private const ushort NextFlag = 1, WriteFlag = 2, IndirectFlag = 4, NoInterruptFlag = 1;

    private ulong _descriptors, _available, _used;
    private ushort _nextAvailable, _nextUsed;

    public int Size => size;

    public uint PageFrame { get; private set; }

    public bool IsReady => PageFrame != 0;

    /// <summary>Whether the driver asked not to be interrupted when buffers are used (VRING_AVAIL_F_NO_INTERRUPT).</summary>
    public bool InterruptSuppressed => (memory.Read<ushort>(_available) & NoInterruptFlag) != 0;

    public void SetPageFrame(uint pageFrame)
    {
        PageFrame = pageFrame;
        _descriptors = (ulong)pageFrame * Alignment;
        _available = _descriptors + ((ulong)size * 16);
        var availableEnd = _available + 4 + ((ulong)size * 2) + 2;
        _used = (availableEnd + Alignment - 1) / Alignment * Alignment;
        _nextAvailable = _nextUsed = 0;
    }

    public void Reset() => SetPageFrame(0);

    /// <summary>
    /// The next chain the driver made available: its head index and its buffers in order (guest address, length,
    /// whether the device may write it); null when there is none.
    /// </summary>
    public (ushort Head, List<(ulong Address, int Length, bool Writable)> Buffers)? Next()
    {
        if (!IsReady || memory.Read<ushort>(_available + 2) == _nextAvailable)
        {
            return null;
        }

        var head = memory.Read<ushort>(_available + 4 + ((ulong)(_nextAvailable % size) * 2));
        _nextAvailable++;
        if (head >= size)
        {
            throw new VirtioException($"the driver made descriptor {head} available in a queue of {size}");
        }

        var buffers = new List<(ulong, int, bool)>();
        Span<byte> descriptor = stackalloc byte[16];
        var index = head;
        for (var count = 0; ; count++)
        {
            if (count == size)
            {
                throw new VirtioException("a descriptor chain loops");
            }

            memory.Read(_descriptors + ((ulong)index * 16), descriptor);
            var flags = BinaryPrimitives.ReadUInt16LittleEndian(descriptor[12..]);
            if ((flags & IndirectFlag) != 0)
            {
                throw new VirtioException("an indirect descriptor, which the device did not offer");
            }

            buffers.Add((BinaryPrimitives.ReadUInt64LittleEndian(descriptor), (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(descriptor[8..]), int.MaxValue), (flags & WriteFlag) != 0));
            if ((flags & NextFlag) == 0)
            {
                return (head, buffers);
            }

            index = BinaryPrimitives.ReadUInt16LittleEndian(descriptor[14..]);
            if (index >= size)
            {
                throw new VirtioException($"a descriptor chain continues to {index} in a queue of {size}");
            }
        }
    }

    /// <summary>Gives a chain back to the driver with the number of bytes the device wrote into it.</summary>
    public void Use(ushort head, uint written)
    {
        var element = _used + 4 + ((ulong)(_nextUsed % size) * 8);
        memory.Write(element, (uint)head);
        memory.Write(element + 4, written);
        _nextUsed++;
        memory.Write(_used + 2, _nextUsed);
    }
}
