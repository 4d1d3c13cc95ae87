namespace Domus.Vmm.Memory;

/// <summary>
/// Memory a device owns and the machine may also map into the guest, such as a graphics card's video memory:
/// page-aligned, so that it can be a KVM memory slot (<see cref="HostAddress"/>), and read by the device through
/// <see cref="Span"/>. Which pages changed is kept in a dirty bitmap, one bit per page: a device marks what it
/// writes itself, the machine merges what KVM's dirty log reports for the guest's direct writes, and a reader
/// (a display's scan-out) takes the bits it has not seen yet.
/// </summary>
public sealed unsafe class DeviceMemory : IDisposable
{
    public const int PageSize = (int)GuestMemory.PageSize;

    private readonly ulong[] _dirty;
    private long _generation;
    private bool _disposed;

    public DeviceMemory(int size)
    {
        if (size <= 0 || size % PageSize != 0)
        {
            throw new ArgumentException($"device memory is whole pages: {size:x}", nameof(size));
        }

        Size = size;
        HostAddress = AnonymousMapping.Map((ulong)size, "device memory");
        _dirty = new ulong[(PageCount + 63) / 64];
    }

    public int Size { get; }

    public int PageCount => Size / PageSize;

    /// <summary>Where the block lies in this process: the userspace address of a KVM memory slot.</summary>
    public nint HostAddress { get; }

    public Span<byte> Span
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return new Span<byte>((void*)HostAddress, Size);
        }
    }

    /// <summary>Counts the markings that dirtied pages, so that a reader can tell cheaply that nothing changed.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    /// <summary>Records a write by the device itself (or a trapped guest write) to <paramref name="length"/> bytes at <paramref name="offset"/>.</summary>
    public void MarkDirty(int offset, int length)
    {
        if (length <= 0 || offset < 0 || offset >= Size)
        {
            return;
        }

        var last = (int)Math.Min((long)offset + length - 1, Size - 1) / PageSize;
        for (var page = offset / PageSize; page <= last; page++)
        {
            Interlocked.Or(ref _dirty[page / 64], 1UL << (page % 64));
        }

        Interlocked.Increment(ref _generation);
    }

    /// <summary>Merges a dirty log in KVM's layout (bit <c>n % 64</c> of word <c>n / 64</c> is page n).</summary>
    public void MarkDirtyPages(ReadOnlySpan<ulong> bitmap)
    {
        var any = false;
        for (var word = 0; word < Math.Min(bitmap.Length, _dirty.Length); word++)
        {
            if (bitmap[word] != 0)
            {
                Interlocked.Or(ref _dirty[word], bitmap[word]);
                any = true;
            }
        }

        if (any)
        {
            Interlocked.Increment(ref _generation);
        }
    }

    /// <summary>Moves the pages dirtied since the last call into <paramref name="bitmap"/> (ORed in); whether there were any.</summary>
    public bool TakeDirtyPages(Span<ulong> bitmap)
    {
        var any = false;
        for (var word = 0; word < Math.Min(bitmap.Length, _dirty.Length); word++)
        {
            var bits = Interlocked.Exchange(ref _dirty[word], 0);
            bitmap[word] |= bits;
            any |= bits != 0;
        }

        return any;
    }

    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            AnonymousMapping.Unmap(HostAddress, (ulong)Size);
        }
    }
}
