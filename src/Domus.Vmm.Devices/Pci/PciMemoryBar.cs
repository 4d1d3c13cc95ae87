namespace Domus.Vmm.Devices.Pci;

/// <summary>
/// A relocatable 32-bit prefetchable memory BAR, such as a graphics card's framebuffer: memory the machine maps
/// straight into the guest (a KVM memory slot), so the device sees no accesses, only where it is to be. While the
/// command register's memory-space bit is on and the BAR holds an address, the machine is asked to place the
/// memory there (aligned to its size, it always fits below 4 GiB); otherwise to take it away. A placement the machine
/// refuses, such as one over RAM, leaves the BAR decoding nothing. <see cref="PciConfigSpace.AddMemoryBar"/> makes one.
/// </summary>
public sealed class PciMemoryBar
{
    private readonly Func<ulong?, bool> _place;
    private readonly Lock _lock = new();
    private ulong? _decoded;

    internal PciMemoryBar(int offset, uint size, Func<ulong?, bool> place)
    {
        if (size < 16 || !uint.IsPow2(size))
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, "a memory BAR spans a power of two of at least 16 bytes");
        }

        Offset = offset;
        Size = size;
        _place = place;
    }

    /// <summary>The BAR's offset in configuration space.</summary>
    public int Offset { get; }

    public uint Size { get; }

    /// <summary>Where the memory is in the guest's physical address space now, if anywhere.</summary>
    public ulong? Decoded
    {
        get
        {
            lock (_lock)
            {
                return _decoded;
            }
        }
    }

    /// <summary>Follows the BAR's value and the memory-space bit after the guest wrote either.</summary>
    internal void Follow(uint bar, bool memorySpaceEnabled)
    {
        var address = (ulong)(bar & ~0xFu);
        ulong? wanted = memorySpaceEnabled && address != 0 ? address : null;
        lock (_lock)
        {
            if (wanted == _decoded)
            {
                return;
            }

            _decoded = _place(wanted) ? wanted : null;
        }
    }
}
