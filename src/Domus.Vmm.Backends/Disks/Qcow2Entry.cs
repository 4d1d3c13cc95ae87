namespace Domus.Vmm.Backends.Disks;

/// <summary>
/// An L2 entry decoded (standard entries: bit 63 "copied", the refcount is exactly 1 and the cluster may be written in
/// place; bit 62 compressed; bits 9-55 the host cluster; bit 0 the zero flag of version 3), its reserved bits and
/// offsets checked against the layout.
/// </summary>
internal readonly record struct Qcow2Entry(Qcow2ClusterKind Kind, long HostOffset, bool Copied, int CompressedBytes)
{
    public const ulong CopiedFlag = 1UL << 63;
    public const ulong CompressedFlag = 1UL << 62;
    public const ulong ZeroFlag = 1;
    public const ulong OffsetMask = 0x00FF_FFFF_FFFF_FE00;

    /// <summary>The host clusters the entry holds a reference to (and drops when the guest cluster moves).</summary>
    public bool HoldsStorage => HostOffset != 0;

    /// <exception cref="IOException">Reserved bits are set, or the offset is not a cluster, or lies in the fixed metadata.</exception>
    public static Qcow2Entry Decode(ulong raw, Qcow2Layout layout, long guestOffset)
    {
        if ((raw & CompressedFlag) != 0)
        {
            // Bits 0..x-1 are the byte offset, x..61 the sectors after the first, x = 62 - (cluster_bits - 8).
            var offsetBits = 62 - (layout.Header.ClusterBits - 8);
            var offset = (long)(raw & ((1UL << offsetBits) - 1));
            var sectors = (long)((raw & ~CopiedFlag & ~CompressedFlag) >> offsetBits) + 1;
            var bytes = (sectors * 512) - (offset & 511);
            layout.CheckData(offset, $"compressed cluster of guest offset {guestOffset}");
            return new Qcow2Entry(Qcow2ClusterKind.Compressed, offset, Copied: false, (int)bytes);
        }

        if ((raw & ~(OffsetMask | CopiedFlag | ZeroFlag)) != 0)
        {
            throw Qcow2Header.Invalid($"the L2 entry of guest offset {guestOffset} ({raw:x16}) has reserved bits set");
        }

        var host = (long)(raw & OffsetMask);
        if ((raw & ZeroFlag) != 0 && layout.Header.Version < 3)
        {
            throw Qcow2Header.Invalid($"the L2 entry of guest offset {guestOffset} has the zero flag, which version 2 images do not have");
        }

        if (host != 0)
        {
            layout.CheckCluster(host, $"data cluster of guest offset {guestOffset}");
        }

        var kind = (raw & ZeroFlag) != 0 ? Qcow2ClusterKind.Zero : host != 0 ? Qcow2ClusterKind.Normal : Qcow2ClusterKind.Unallocated;
        return new Qcow2Entry(kind, host, (raw & CopiedFlag) != 0, 0);
    }
}
