namespace Domus.Vmm.Backends.Disks;

/// <summary>
/// Where a qcow2 image's fixed metadata lies (the header's cluster, the L1 table, the refcount table, which moves
/// when it grows), and the checks every offset read from the image passes before it is used: a cluster boundary
/// (for all but compressed data), outside that metadata, and inside the file.
/// </summary>
internal sealed class Qcow2Layout(Qcow2Header header, Qcow2File file)
{
    public Qcow2Header Header => header;

    public Qcow2File File => file;

    public long RefcountTableOffset { get; set; } = header.RefcountTableOffset;

    public int RefcountTableClusters { get; set; } = header.RefcountTableClusters;

    /// <summary>Whether the host cluster holds the header, the L1 table or the refcount table.</summary>
    public bool IsFixedMetadata(long cluster)
    {
        var offset = cluster << header.ClusterBits;
        return cluster == 0
            || Qcow2Header.Overlap(offset, header.ClusterSize, header.L1Offset, header.L1Entries * 8L)
            || Qcow2Header.Overlap(offset, header.ClusterSize, RefcountTableOffset, (long)RefcountTableClusters << header.ClusterBits);
    }

    /// <summary>Checks a host cluster offset taken from a table (an L2 table, a data or a refcount block).</summary>
    /// <exception cref="IOException">It is not a cluster boundary, lies in the fixed metadata or past the file's end.</exception>
    public void CheckCluster(long offset, string what)
    {
        if ((offset & (header.ClusterSize - 1)) != 0)
        {
            throw Qcow2Header.Invalid($"the {what} at offset {offset} is not on a cluster boundary");
        }

        CheckData(offset, what);
    }

    /// <summary>Checks the byte offset of data: past the header's cluster, outside the tables, inside the file.</summary>
    /// <exception cref="IOException">It is not.</exception>
    public void CheckData(long offset, string what)
    {
        if (offset >= file.Length)
        {
            throw Qcow2Header.Invalid($"the {what} at offset {offset} lies beyond the end of the file ({file.Length} bytes)");
        }

        if (IsFixedMetadata(offset >> header.ClusterBits))
        {
            throw Qcow2Header.Invalid($"the {what} at offset {offset} lies in the image's header, L1 table or refcount table");
        }
    }
}
