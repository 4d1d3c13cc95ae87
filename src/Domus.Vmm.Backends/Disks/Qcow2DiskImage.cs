using System.Buffers.Binary;
using System.IO.Compression;

namespace Domus.Vmm.Backends.Disks;

/// <summary>
/// A qcow2 image (versions 2 and 3), read and written by domus-dm itself. Reads follow the L1 and L2 tables (zeros for
/// clusters never written and for version 3's zero clusters; compressed clusters inflated); a write goes in place to
/// a cluster the image owns alone, and otherwise to a freshly allocated cluster holding the old contents with the new
/// bytes over them (so writes into compressed, zero or shared clusters work), after which the old cluster is freed.
/// <para>
/// Crash safety follows QEMU's ordering: data and refcount increments are written first, and the L2 tables that
/// point to new clusters are written from a bounded cache only after they are durable; a new L2 table is durable
/// before the L1 entry that points to it, and old clusters are freed only after the L2 entries no longer point to
/// them. A crash leaves leaked clusters at worst (<c>qemu-img check -r leaks</c> reclaims them).
/// </para>
/// Everything read from the file is checked before use; a damaged or hostile image is an <see cref="IOException"/>
/// naming the problem, at open or at the access. One lock serializes the drive's accesses (vCPU threads, DMA).
/// Locking of the file is <see cref="RawDiskImage"/>'s: exclusive for writing, shared for reading.
/// </summary>
public sealed class Qcow2DiskImage : IDiskImage
{
    /// <summary>Memory for cached L2 tables (64 tables of 64 KiB map 32 GiB); at least two are kept.</summary>
    private const int L2CacheBytes = 4 << 20;

    /// <summary>Clusters waiting to be freed before the L2 tables are written to let them go.</summary>
    private const int MaxPendingReleases = 1024;

    private readonly Lock _lock = new();
    private readonly Qcow2File _file;
    private readonly Qcow2Header _header;
    private readonly Qcow2Layout _layout;
    private readonly ulong[] _l1;
    private readonly SortedSet<int> _dirtyL1 = [];
    private readonly Qcow2TableCache _l2;
    /// <summary>Null for a read-only image, whose refcounts are never needed.</summary>
    private readonly Qcow2Refcounts? _refcounts;
    private readonly List<(long Offset, long Length)> _pendingReleases = [];
    private byte[]? _cluster;
    private byte[]? _compressed;
    private byte[]? _inflated;
    /// <summary>The file offset of the compressed cluster in <see cref="_inflated"/>, or -1.</summary>
    private long _inflatedFrom = -1;
    private bool _disposed;

    private Qcow2DiskImage(Qcow2File file, Qcow2Header header, bool readOnly)
    {
        _file = file;
        _header = header;
        _layout = new Qcow2Layout(header, file);
        IsReadOnly = readOnly;
        var l1 = new byte[header.L1Entries * 8L];
        file.ReadMetadata(header.L1Offset, l1, "L1 table");
        _l1 = new ulong[header.L1Entries];
        for (var i = 0; i < _l1.Length; i++)
        {
            _l1[i] = BinaryPrimitives.ReadUInt64BigEndian(l1.AsSpan(i * 8));
        }

        _l2 = new Qcow2TableCache(Math.Max(2, L2CacheBytes >> header.ClusterBits), WriteMetadata);
        if (!readOnly)
        {
            _refcounts = new Qcow2Refcounts(_layout);
            if (header.AutoclearFeatures != 0)
            {
                // Autoclear features (persistent bitmaps) are only valid while every writer keeps them: QEMU's rule
                // for a writer that does not is to clear the bits, which tells the next reader to drop them.
                file.Write(88, new byte[8]);
                file.Sync();
            }
        }
    }

    public long Length => _header.Size;

    public bool IsReadOnly { get; }

    private int ClusterSize => _header.ClusterSize;

    /// <exception cref="IOException">The file cannot be opened, another process holds it, or it is not a qcow2 image domus-dm can use (the message says why).</exception>
    public static Qcow2DiskImage Open(string path, bool readOnly)
    {
        var file = new Qcow2File(File.OpenHandle(path, FileMode.Open, readOnly ? FileAccess.Read : FileAccess.ReadWrite, readOnly ? FileShare.Read : FileShare.None));
        try
        {
            var header = Qcow2Header.Read(file);
            if (!readOnly && header.WriteProblem is { } problem)
            {
                throw Qcow2Header.Invalid(problem);
            }

            return new Qcow2DiskImage(file, header, readOnly);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Why domus-dm could not use the file as a qcow2 disk, from its header, without opening it for the guest; null
    /// when it can, and when the file cannot be read or is no qcow2 image at all (the host's checks report those).
    /// </summary>
    public static string? Problem(string path, bool readOnly)
    {
        Qcow2File file;
        try
        {
            file = new Qcow2File(File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        using (file)
        {
            try
            {
                Span<byte> magic = stackalloc byte[4];
                file.ReadData(0, magic);
                var header = Qcow2Header.StartsWithMagic(magic) ? Qcow2Header.Read(file) : null;
                if (!readOnly && header?.WriteProblem is { } problem)
                {
                    throw Qcow2Header.Invalid(problem);
                }

                return null;
            }
            catch (IOException e)
            {
                return e.Message;
            }
        }
    }

    public void Read(long offset, Span<byte> destination)
    {
        if (offset < 0)
        {
            throw new IOException($"qcow2: offset {offset} is before the disk's start");
        }

        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            while (!destination.IsEmpty)
            {
                if (offset >= Length)
                {
                    destination.Clear();
                    return;
                }

                var inCluster = (int)(offset & (ClusterSize - 1));
                var chunk = destination[..(int)Math.Min(Math.Min(destination.Length, ClusterSize - inCluster), Length - offset)];
                var entry = Entry(offset, allocate: false).Entry;
                if (entry.Kind == Qcow2ClusterKind.Normal)
                {
                    _file.ReadData(entry.HostOffset + inCluster, chunk);
                }
                else if (entry.Kind == Qcow2ClusterKind.Compressed)
                {
                    Inflate(entry).AsSpan(inCluster, chunk.Length).CopyTo(chunk);
                }
                else
                {
                    chunk.Clear();
                }

                destination = destination[chunk.Length..];
                offset += chunk.Length;
            }
        }
    }

    public void Write(long offset, ReadOnlySpan<byte> source)
    {
        if (IsReadOnly)
        {
            throw new IOException("the image is read-only");
        }

        if (offset < 0 || offset > Length - source.Length)
        {
            throw new IOException($"qcow2: {source.Length} bytes at offset {offset} do not fit in the disk's {Length} bytes");
        }

        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            while (!source.IsEmpty)
            {
                var inCluster = (int)(offset & (ClusterSize - 1));
                var chunk = source[..Math.Min(source.Length, ClusterSize - inCluster)];
                var (table, index, entry) = Entry(offset, allocate: true);
                if (entry.Kind == Qcow2ClusterKind.Normal && entry.Copied)
                {
                    _file.Write(entry.HostOffset + inCluster, chunk);
                }
                else
                {
                    WriteNewCluster(table!, index, entry, inCluster, chunk);
                }

                source = source[chunk.Length..];
                offset += chunk.Length;
            }
        }
    }

    /// <summary>
    /// A write to a guest cluster the image does not hold alone as plain data: the whole cluster (what it read as,
    /// with <paramref name="chunk"/> over it) goes to a new cluster, or in place for a zero cluster the image owns;
    /// the L2 entry then points there, and what it pointed to is freed once that is durable.
    /// </summary>
    private void WriteNewCluster(Qcow2Table table, int index, Qcow2Entry entry, int inCluster, ReadOnlySpan<byte> chunk)
    {
        var inPlace = entry.Kind == Qcow2ClusterKind.Zero && entry.Copied && entry.HoldsStorage;
        var target = inPlace ? entry.HostOffset : _refcounts!.Allocate() << _header.ClusterBits;
        if (chunk.Length == ClusterSize)
        {
            _file.Write(target, chunk);
        }
        else
        {
            var cluster = _cluster ??= new byte[ClusterSize];
            ReadCluster(entry, cluster);
            chunk.CopyTo(cluster.AsSpan(inCluster));
            _file.Write(target, cluster);
        }

        table[index] = (ulong)target | Qcow2Entry.CopiedFlag;
        table.Dirty = true;
        if (!inPlace && entry.HoldsStorage)
        {
            _pendingReleases.Add(entry.Kind == Qcow2ClusterKind.Compressed ? (entry.HostOffset, entry.CompressedBytes) : (entry.HostOffset, ClusterSize));
            if (entry.HostOffset == _inflatedFrom)
            {
                _inflatedFrom = -1;
            }

            if (_pendingReleases.Count >= MaxPendingReleases)
            {
                WriteMetadata();
            }
        }
    }

    /// <summary>What a guest cluster reads as, whole.</summary>
    private void ReadCluster(Qcow2Entry entry, Span<byte> cluster)
    {
        switch (entry.Kind)
        {
            case Qcow2ClusterKind.Normal:
                _file.ReadData(entry.HostOffset, cluster);
                break;
            case Qcow2ClusterKind.Compressed:
                Inflate(entry).CopyTo(cluster);
                break;
            default:
                cluster.Clear();
                break;
        }
    }

    /// <summary>A compressed cluster inflated: raw deflate (QEMU's zlib with window bits -12), the last one read kept.</summary>
    private byte[] Inflate(Qcow2Entry entry)
    {
        var inflated = _inflated ??= new byte[ClusterSize];
        if (entry.HostOffset == _inflatedFrom)
        {
            return inflated;
        }

        // The sector count bounds the input to two clusters; the last compressed cluster may end with the file.
        var compressed = _compressed ??= new byte[2 * ClusterSize];
        var length = (int)Math.Min(entry.CompressedBytes, _file.Length - entry.HostOffset);
        _file.ReadData(entry.HostOffset, compressed.AsSpan(0, length));
        _inflatedFrom = -1;
        try
        {
            using var stream = new DeflateStream(new MemoryStream(compressed, 0, length), CompressionMode.Decompress);
            if (stream.ReadAtLeast(inflated, ClusterSize, throwOnEndOfStream: false) < ClusterSize)
            {
                throw Qcow2Header.Invalid($"the compressed cluster at offset {entry.HostOffset} inflates to less than a cluster");
            }
        }
        catch (InvalidDataException e)
        {
            throw Qcow2Header.Invalid($"the compressed cluster at offset {entry.HostOffset} is not valid deflate data ({e.Message})");
        }

        _inflatedFrom = entry.HostOffset;
        return inflated;
    }

    /// <summary>
    /// The L2 entry of the guest cluster at <paramref name="offset"/>, with its table and index; to write, the table
    /// is allocated when missing (its L1 entry is written after it).
    /// </summary>
    private (Qcow2Table? Table, int Index, Qcow2Entry Entry) Entry(long offset, bool allocate)
    {
        var l1Index = (int)(offset >> (_header.ClusterBits + _header.L2Bits));
        var index = (int)((offset >> _header.ClusterBits) & ((1 << _header.L2Bits) - 1));
        var l1Entry = _l1[l1Index];
        if ((l1Entry & ~(Qcow2Entry.OffsetMask | Qcow2Entry.CopiedFlag)) != 0)
        {
            throw Qcow2Header.Invalid($"L1 entry {l1Index} ({l1Entry:x16}) has reserved bits set");
        }

        var tableOffset = (long)(l1Entry & Qcow2Entry.OffsetMask);
        if (tableOffset == 0)
        {
            if (!allocate)
            {
                return (null, index, default);
            }

            var table = new Qcow2Table(_refcounts!.Allocate() << _header.ClusterBits, new byte[ClusterSize]) { Dirty = true };
            _l2.Add(table);
            _l1[l1Index] = (ulong)table.Offset | Qcow2Entry.CopiedFlag;
            _dirtyL1.Add(l1Index);
            return (table, index, default);
        }

        if (allocate && (l1Entry & Qcow2Entry.CopiedFlag) == 0)
        {
            throw new IOException($"qcow2: the L2 table of guest offset {offset} is shared with a snapshot (or its refcount is damaged); domus-dm does not copy L2 tables");
        }

        var l2 = _l2.Find(tableOffset) ?? LoadL2(tableOffset, l1Index);
        return (l2, index, Qcow2Entry.Decode(l2[index], _layout, offset));
    }

    private Qcow2Table LoadL2(long offset, int l1Index)
    {
        _layout.CheckCluster(offset, $"L2 table of L1 entry {l1Index}");
        var table = new Qcow2Table(offset, new byte[ClusterSize]);
        _file.ReadMetadata(offset, table.Data, $"L2 table of L1 entry {l1Index}");
        _l2.Add(table);
        return table;
    }

    /// <summary>
    /// Writes the metadata that waits, in crash-safe order: what new L2 entries point to is made durable, then the
    /// L2 tables are written; new tables are durable before the L1 entries that point to them; the clusters no
    /// longer pointed to are freed last.
    /// </summary>
    private void WriteMetadata()
    {
        var dirty = _l2.Tables.Where(t => t.Dirty).OrderBy(t => t.Offset).ToList();
        if (dirty.Count == 0 && _dirtyL1.Count == 0 && _pendingReleases.Count == 0)
        {
            return;
        }

        _file.Sync();
        foreach (var table in dirty)
        {
            _file.Write(table.Offset, table.Data);
            table.Dirty = false;
        }

        if (_dirtyL1.Count > 0)
        {
            _file.Sync();
            Span<byte> entry = stackalloc byte[8];
            foreach (var index in _dirtyL1)
            {
                BinaryPrimitives.WriteUInt64BigEndian(entry, _l1[index]);
                _file.Write(_header.L1Offset + (index * 8L), entry);
            }

            _dirtyL1.Clear();
        }

        if (_pendingReleases.Count > 0)
        {
            _file.Sync();
            foreach (var (offset, length) in _pendingReleases)
            {
                _refcounts!.Release(offset, length);
            }

            _pendingReleases.Clear();
        }
    }

    public void Flush()
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!IsReadOnly)
            {
                WriteMetadata();
                _file.Sync();
            }
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            try
            {
                if (!IsReadOnly)
                {
                    WriteMetadata();
                    _file.Sync();
                }
            }
            finally
            {
                _file.Dispose();
            }
        }
    }
}
