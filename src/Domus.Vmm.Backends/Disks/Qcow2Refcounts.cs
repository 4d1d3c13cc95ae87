using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Domus.Vmm.Backends.Disks;

/// <summary>
/// The refcounts of a writable qcow2 image: the refcount table in memory, its blocks in a bounded cache, every change
/// written through at once. Clusters are allocated at the first free refcount (leaked clusters stay leaked), a missing
/// refcount block is placed in the range it describes, and a full refcount table is replaced by a larger one at the
/// end of the file, as QEMU does. Each structure is written and made durable before the one that points to it, so a
/// crash leaks clusters at worst.
/// </summary>
internal sealed class Qcow2Refcounts
{
    /// <summary>Memory for cached refcount blocks; at least two are kept.</summary>
    private const int CacheBytes = 1 << 20;

    private readonly Qcow2Layout _layout;
    private readonly Qcow2File _file;
    private readonly Qcow2TableCache _blocks;
    private readonly int _order;
    private readonly int _clusterBits;
    /// <summary>Clusters one refcount block describes.</summary>
    private readonly long _perBlock;
    private ulong[] _table;
    /// <summary>No cluster below this one is free.</summary>
    private long _hint;
    /// <summary>The last cluster in use, in the file or allocated past its end (an L2 table not written yet).</summary>
    private long _highest;

    public Qcow2Refcounts(Qcow2Layout layout)
    {
        _layout = layout;
        _file = layout.File;
        var header = layout.Header;
        _order = header.RefcountOrder;
        _clusterBits = header.ClusterBits;
        _perBlock = ((long)header.ClusterSize * 8) >> _order;
        _blocks = new Qcow2TableCache(Math.Max(2, CacheBytes >> _clusterBits), writeBack: () => { });
        var bytes = new byte[(long)layout.RefcountTableClusters << _clusterBits];
        _file.ReadMetadata(layout.RefcountTableOffset, bytes, "refcount table");
        _table = new ulong[bytes.Length / 8];
        for (var i = 0; i < _table.Length; i++)
        {
            _table[i] = BinaryPrimitives.ReadUInt64BigEndian(bytes.AsSpan(i * 8));
        }

        _highest = header.Clusters(_file.Length) - 1;
    }

    private long ClusterSize => 1L << _clusterBits;

    private ulong MaxRefcount => _order == 6 ? ulong.MaxValue : (1UL << (1 << _order)) - 1;

    public ulong Get(long cluster)
    {
        var index = cluster / _perBlock;
        return index >= _table.Length || _table[index] == 0 ? 0 : ReadEntry(Block(index).Data, cluster % _perBlock);
    }

    /// <summary>A free cluster, its refcount set to 1.</summary>
    /// <exception cref="IOException">The refcounts are damaged, or the refcount table cannot grow further.</exception>
    public long Allocate()
    {
        while (true)
        {
            var cluster = FindFree();
            var index = cluster / _perBlock;
            if (index >= _table.Length)
            {
                Grow(index);
            }
            else if (_table[index] == 0)
            {
                AddBlock(index, cluster);
            }
            else
            {
                Set(cluster, 1);
                _hint = cluster + 1;
                _highest = Math.Max(_highest, cluster);
                return cluster;
            }
        }
    }

    /// <summary>Drops one reference to each cluster in <paramref name="length"/> bytes from <paramref name="offset"/>.</summary>
    /// <exception cref="IOException">A refcount is 0 already: the image is damaged.</exception>
    public void Release(long offset, long length)
    {
        for (var cluster = offset >> _clusterBits; cluster <= (offset + length - 1) >> _clusterBits; cluster++)
        {
            var count = Get(cluster);
            if (count == 0)
            {
                throw Qcow2Header.Invalid($"cluster {cluster} is freed but its refcount is 0 already; repair the image with 'qemu-img check -r all'");
            }

            Set(cluster, count - 1);
            if (count == 1)
            {
                _hint = Math.Min(_hint, cluster);
            }
        }
    }

    /// <summary>
    /// The first cluster from the hint whose refcount is 0 (a cluster without a refcount block, or past the table, is
    /// free), never the header, L1 or refcount table. The search ends one refcount block past the last cluster in use,
    /// so a damaged table cannot make it run through 2^56 bytes.
    /// </summary>
    private long FindFree()
    {
        var limit = Math.Max(_highest + 1, _layout.Header.Clusters(_file.Length)) + _perBlock;
        var cluster = _hint;
        while (cluster < limit)
        {
            var index = cluster / _perBlock;
            if (index < _table.Length && _table[index] != 0)
            {
                var free = FirstFree(Block(index).Data, (int)(cluster % _perBlock));
                if (free < 0)
                {
                    cluster = (index + 1) * _perBlock;
                    continue;
                }

                cluster = (index * _perBlock) + free;
            }

            if (!_layout.IsFixedMetadata(cluster))
            {
                return cluster;
            }

            cluster++;
        }

        throw Qcow2Header.Invalid($"no cluster is free before cluster {limit}, far past the end of the file; the refcounts are damaged (repair them with 'qemu-img check -r all')");
    }

    /// <summary>A refcount block for the clusters of table entry <paramref name="index"/>, all free, placed at the first of them and counting itself.</summary>
    private void AddBlock(long index, long cluster)
    {
        var block = new Qcow2Table(cluster << _clusterBits, new byte[ClusterSize]);
        WriteEntry(block.Data, cluster % _perBlock, 1);
        _file.Write(block.Offset, block.Data);
        _file.Sync();
        SetTableEntry(index, block.Offset);
        _blocks.Add(block);
        _highest = Math.Max(_highest, cluster);
    }

    /// <summary>
    /// Replaces the refcount table by one that reaches entry <paramref name="needed"/> (and half as large again as
    /// today), placed past everything in use after the new refcount blocks that count it: blocks and table written and
    /// made durable, then the header switched to them, then the old table's clusters freed.
    /// </summary>
    private void Grow(long needed)
    {
        var perTableCluster = ClusterSize / 8;
        var start = Math.Max(_highest + 1, _layout.Header.Clusters(_file.Length));
        const long most = Qcow2Header.MaxRefcountTableBytes / 8;
        var entries = Math.Min(Math.Max(needed + 1, _table.Length + (_table.Length / 2)), most);
        long blocks = 0, tableClusters;
        while (true)
        {
            tableClusters = (entries + perTableCluster - 1) / perTableCluster;
            if (entries > most || needed >= most)
            {
                throw new IOException($"qcow2: the refcount table is full ({_table.Length} entries) and cannot grow past {Qcow2Header.MaxRefcountTableBytes} bytes; the image is as large as domus-dm and QEMU take it");
            }

            var last = start + blocks + tableClusters - 1;
            var missing = MissingBlocks(start, last).Count();
            if (missing > blocks)
            {
                blocks = missing;
            }
            else if (last / _perBlock >= entries)
            {
                entries = (last / _perBlock) + 1;
            }
            else
            {
                break;
            }
        }

        var end = start + blocks + tableClusters;
        var table = new ulong[entries];
        _table.CopyTo(table, 0);
        var added = new Dictionary<long, Qcow2Table>();
        foreach (var index in MissingBlocks(start, end - 1).ToList())
        {
            var block = new Qcow2Table((start + added.Count) << _clusterBits, new byte[ClusterSize]);
            added[index] = block;
            table[index] = (ulong)block.Offset;
        }

        for (var cluster = start; cluster < end; cluster++)
        {
            if (added.TryGetValue(cluster / _perBlock, out var block))
            {
                WriteEntry(block.Data, cluster % _perBlock, 1);
            }
            else
            {
                Set(cluster, 1);
            }
        }

        var bytes = new byte[tableClusters << _clusterBits];
        for (var i = 0; i < table.Length; i++)
        {
            BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(i * 8), table[i]);
        }

        foreach (var block in added.Values)
        {
            _file.Write(block.Offset, block.Data);
        }

        var tableOffset = (start + blocks) << _clusterBits;
        _file.Write(tableOffset, bytes);
        _file.Sync();
        Span<byte> location = stackalloc byte[12];
        BinaryPrimitives.WriteInt64BigEndian(location, tableOffset);
        BinaryPrimitives.WriteInt32BigEndian(location[8..], (int)tableClusters);
        _file.Write(48, location);
        _file.Sync();

        var (oldOffset, oldClusters) = (_layout.RefcountTableOffset, _layout.RefcountTableClusters);
        (_table, _layout.RefcountTableOffset, _layout.RefcountTableClusters) = (table, tableOffset, (int)tableClusters);
        foreach (var block in added.Values)
        {
            _blocks.Add(block);
        }

        _highest = Math.Max(_highest, end - 1);
        Release(oldOffset, (long)oldClusters << _clusterBits);
    }

    /// <summary>The table entries describing clusters <paramref name="first"/> to <paramref name="last"/> that have no refcount block.</summary>
    private IEnumerable<long> MissingBlocks(long first, long last)
    {
        for (var index = first / _perBlock; index <= last / _perBlock; index++)
        {
            if (index >= _table.Length || _table[index] == 0)
            {
                yield return index;
            }
        }
    }

    private void SetTableEntry(long index, long offset)
    {
        _table[index] = (ulong)offset;
        Span<byte> entry = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(entry, offset);
        _file.Write(_layout.RefcountTableOffset + (index * 8), entry);
    }

    private void Set(long cluster, ulong count)
    {
        var block = Block(cluster / _perBlock);
        var (start, length) = WriteEntry(block.Data, cluster % _perBlock, count);
        _file.Write(block.Offset + start, block.Data.AsSpan(start, length));
    }

    private Qcow2Table Block(long index)
    {
        var entry = _table[index];
        if ((entry & 511) != 0 || entry >= Qcow2Header.MaxOffset)
        {
            throw Qcow2Header.Invalid($"refcount table entry {index} ({entry:x16}) is not a cluster offset");
        }

        var offset = (long)entry;
        if (_blocks.Find(offset) is { } cached)
        {
            return cached;
        }

        _layout.CheckCluster(offset, $"refcount block {index}");
        var block = new Qcow2Table(offset, new byte[ClusterSize]);
        _file.ReadMetadata(offset, block.Data, $"refcount block {index}");
        _blocks.Add(block);
        return block;
    }

    /// <summary>Refcounts are big-endian from 8 bits up; narrower ones fill each byte from its lowest bit, as in QEMU.</summary>
    private ulong ReadEntry(byte[] block, long index) => _order switch
    {
        3 => block[index],
        4 => BinaryPrimitives.ReadUInt16BigEndian(block.AsSpan((int)index * 2)),
        5 => BinaryPrimitives.ReadUInt32BigEndian(block.AsSpan((int)index * 4)),
        6 => BinaryPrimitives.ReadUInt64BigEndian(block.AsSpan((int)index * 8)),
        _ => (ulong)(block[index >> (3 - _order)] >> (int)((index & ((8 >> _order) - 1)) << _order)) & MaxRefcount,
    };

    /// <summary>Sets a refcount in the block; the bytes changed, to write.</summary>
    private (int Start, int Length) WriteEntry(byte[] block, long index, ulong count)
    {
        if (count > MaxRefcount)
        {
            throw Qcow2Header.Invalid($"a refcount would exceed {MaxRefcount}, the most {1 << _order} bits hold");
        }

        var width = Math.Max(1, (1 << _order) / 8);
        var start = (int)(_order >= 3 ? index * width : index >> (3 - _order));
        var span = block.AsSpan(start, width);
        switch (_order)
        {
            case 3:
                span[0] = (byte)count;
                break;
            case 4:
                BinaryPrimitives.WriteUInt16BigEndian(span, (ushort)count);
                break;
            case 5:
                BinaryPrimitives.WriteUInt32BigEndian(span, (uint)count);
                break;
            case 6:
                BinaryPrimitives.WriteUInt64BigEndian(span, count);
                break;
            default:
                var shift = (int)((index & ((8 >> _order) - 1)) << _order);
                span[0] = (byte)((span[0] & ~((int)MaxRefcount << shift)) | ((int)count << shift));
                break;
        }

        return (start, width);
    }

    /// <summary>The first refcount of 0 from <paramref name="start"/> in the block, or -1 (zero is zero in either byte order).</summary>
    private int FirstFree(byte[] block, int start)
    {
        if (_order < 3)
        {
            for (var index = start; index < _perBlock; index++)
            {
                if (ReadEntry(block, index) == 0)
                {
                    return index;
                }
            }

            return -1;
        }

        var found = _order switch
        {
            3 => block.AsSpan(start).IndexOf((byte)0),
            4 => MemoryMarshal.Cast<byte, ushort>(block)[start..].IndexOf((ushort)0),
            5 => MemoryMarshal.Cast<byte, uint>(block)[start..].IndexOf(0u),
            _ => MemoryMarshal.Cast<byte, ulong>(block)[start..].IndexOf(0ul),
        };
        return found < 0 ? -1 : start + found;
    }
}
