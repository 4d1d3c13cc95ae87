using System.Runtime.InteropServices;

namespace Domus.Vmm.Memory;

/// <summary>
/// Guest-physical memory: RAM regions (below and above the PCI hole) and ROM regions, each an anonymous
/// mapping of this process that pages in only when touched. Every access is checked: an address outside
/// the regions is a <see cref="GuestMemoryException"/>, never a stray pointer.
/// </summary>
public sealed unsafe class GuestMemory : IDisposable
{
    public const ulong PageSize = 4096;

    private readonly List<GuestRegion> _regions = [];

    public IReadOnlyList<GuestRegion> Regions => _regions;

    /// <summary>Adds <paramref name="size"/> bytes of zeroed memory at <paramref name="guestAddress"/>.</summary>
    public GuestRegion Add(ulong guestAddress, ulong size, bool readOnly = false)
    {
        if (size == 0 || guestAddress % PageSize != 0 || size % PageSize != 0)
        {
            throw new ArgumentException($"a region is whole pages: {guestAddress:x}+{size:x}");
        }

        if (_regions.Any(r => guestAddress < r.End && r.GuestAddress < guestAddress + size))
        {
            throw new ArgumentException($"region {guestAddress:x}+{size:x} overlaps another");
        }

        var region = new GuestRegion(guestAddress, size, AnonymousMapping.Map(size, "guest memory"), readOnly);
        _regions.Add(region);
        _regions.Sort((a, b) => a.GuestAddress.CompareTo(b.GuestAddress));
        return region;
    }

    /// <summary>Adds a ROM region holding <paramref name="image"/> at its end, as firmware sits below 4 GiB.</summary>
    public GuestRegion AddRom(ulong guestAddress, ReadOnlySpan<byte> image)
    {
        var size = ((ulong)image.Length + PageSize - 1) / PageSize * PageSize;
        var region = Add(guestAddress, size, readOnly: true);
        image.CopyTo(new Span<byte>((byte*)region.HostAddress + (long)(size - (ulong)image.Length), image.Length));
        return region;
    }

    public bool IsRam(ulong address, ulong length) => Find(address, length) is { ReadOnly: false };

    /// <summary>The bytes at <paramref name="address"/>, which must lie in one region.</summary>
    public Span<byte> GetSpan(ulong address, int length)
    {
        var region = Find(address, (ulong)length) ?? throw new GuestMemoryException(address, length);
        return new Span<byte>((byte*)region.HostAddress + (long)(address - region.GuestAddress), length);
    }

    public void Read(ulong address, Span<byte> destination) => GetSpan(address, destination.Length).CopyTo(destination);

    /// <summary>Writes guest RAM; ROM is not written, as on real hardware.</summary>
    public void Write(ulong address, ReadOnlySpan<byte> source)
    {
        var region = Find(address, (ulong)source.Length);
        if (region is null || region.ReadOnly)
        {
            throw new GuestMemoryException(address, source.Length);
        }

        source.CopyTo(GetSpan(address, source.Length));
    }

    /// <summary>Writes even a ROM region: for the VMM loading firmware and tables, never for the guest.</summary>
    public void Load(ulong address, ReadOnlySpan<byte> source) => source.CopyTo(GetSpan(address, source.Length));

    public T Read<T>(ulong address)
        where T : unmanaged => MemoryMarshal.Read<T>(GetSpan(address, sizeof(T)));

    public void Write<T>(ulong address, T value)
        where T : unmanaged => Write(address, MemoryMarshal.AsBytes(new ReadOnlySpan<T>(ref value)));

    private GuestRegion? Find(ulong address, ulong length)
    {
        foreach (var region in _regions)
        {
            if (region.Contains(address))
            {
                return length <= region.End - address ? region : null;
            }
        }

        return null;
    }

    public void Dispose()
    {
        foreach (var region in _regions)
        {
            AnonymousMapping.Unmap(region.HostAddress, region.Size);
        }

        _regions.Clear();
    }
}
