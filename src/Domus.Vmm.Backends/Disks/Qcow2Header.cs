using System.Buffers.Binary;

namespace Domus.Vmm.Backends.Disks;

/// <summary>
/// The header of a qcow2 image (versions 2 and 3, big-endian, QEMU's docs/interop/qcow2.txt), checked as untrusted
/// input: every size and offset is bounded before anything is allocated or read from it, and what domus-dm cannot
/// honour (encryption, a backing or external data file, extended L2 entries, zstd, unknown incompatible features,
/// and for writing a dirty image or one with internal snapshots) is refused with the reason.
/// </summary>
public sealed class Qcow2Header
{
    /// <summary>Bytes of the header read: version 3's fixed part.</summary>
    public const int ReadLength = 104;
    public const int MinClusterBits = 9;
    public const int MaxClusterBits = 21;
    /// <summary>QEMU's limits (QCOW_MAX_L1_SIZE, QCOW_MAX_REFTABLE_SIZE): the tables are read whole into memory.</summary>
    public const long MaxL1Bytes = 32 << 20;
    public const long MaxRefcountTableBytes = 8 << 20;
    /// <summary>Offsets are 56-bit in L1, L2 and refcount table entries.</summary>
    public const long MaxOffset = 1L << 56;

    private const ulong DirtyBit = 1 << 0;
    private const ulong CorruptBit = 1 << 1;
    private const ulong ExternalDataFileBit = 1 << 2;
    private const ulong CompressionTypeBit = 1 << 3;
    private const ulong ExtendedL2Bit = 1 << 4;

    private Qcow2Header()
    {
    }

    /// <summary>QFI\xfb, the first four bytes of every qcow2 image.</summary>
    public static ReadOnlySpan<byte> Magic => [(byte)'Q', (byte)'F', (byte)'I', 0xFB];

    public int Version { get; private init; }

    public int ClusterBits { get; private init; }

    public int ClusterSize => 1 << ClusterBits;

    /// <summary>Entries in an L2 table (and in an L1 or refcount table cluster): a cluster of 64-bit entries.</summary>
    public int L2Bits => ClusterBits - 3;

    /// <summary>The disk's size as the guest sees it.</summary>
    public long Size { get; private init; }

    public int L1Entries { get; private init; }

    public long L1Offset { get; private init; }

    public long RefcountTableOffset { get; private init; }

    public int RefcountTableClusters { get; private init; }

    /// <summary>log2 of a refcount's width in bits, 0 (1 bit) to 6 (64 bits); 4 before version 3.</summary>
    public int RefcountOrder { get; private init; }

    public ulong AutoclearFeatures { get; private init; }

    private bool Dirty { get; init; }

    private int Snapshots { get; init; }

    public static bool StartsWithMagic(ReadOnlySpan<byte> start) => start.StartsWith(Magic);

    /// <summary>Why the image cannot be written although it can be read (refcounts to trust, one active layer), or null.</summary>
    internal string? WriteProblem =>
        Dirty ? "the image is marked dirty (its refcounts may be stale after a crash); repair it with 'qemu-img check -r all'"
        : Snapshots > 0 ? $"the image has {Snapshots} internal snapshots; domus-dm writes images without snapshots only (delete them with 'qemu-img snapshot -d', or use the QEMU device model)"
        : null;

    /// <summary>Reads and checks the header of the file.</summary>
    /// <exception cref="IOException">The file is not a qcow2 image domus-dm can read, or cannot be read.</exception>
    internal static Qcow2Header Read(Qcow2File file)
    {
        Span<byte> bytes = stackalloc byte[ReadLength];
        file.ReadData(0, bytes);
        return Parse(bytes, file.Length);
    }

    /// <summary>Checks <paramref name="bytes"/>, the first <see cref="ReadLength"/> bytes of a file of <paramref name="fileLength"/> bytes (zeros past its end).</summary>
    /// <exception cref="IOException">The file is not a qcow2 image domus-dm can read.</exception>
    internal static Qcow2Header Parse(ReadOnlySpan<byte> bytes, long fileLength)
    {
        if (!StartsWithMagic(bytes))
        {
            throw Invalid("the file does not start with a qcow2 header (QFI\\xfb)");
        }

        if (fileLength < 72)
        {
            throw Invalid($"the file ends inside its header ({fileLength} bytes)");
        }

        var version = BinaryPrimitives.ReadInt32BigEndian(bytes[4..]);
        if (version is not (2 or 3))
        {
            throw Invalid($"version {(uint)version} is not supported (2 and 3 are)");
        }

        var clusterBits = BinaryPrimitives.ReadUInt32BigEndian(bytes[20..]);
        if (clusterBits is < MinClusterBits or > MaxClusterBits)
        {
            throw Invalid($"cluster_bits {clusterBits} is out of range ({MinClusterBits} to {MaxClusterBits})");
        }

        var clusterSize = 1L << (int)clusterBits;
        var (incompatible, autoclear, refcountOrder, headerLength) = version == 3
            ? (BinaryPrimitives.ReadUInt64BigEndian(bytes[72..]), BinaryPrimitives.ReadUInt64BigEndian(bytes[88..]), BinaryPrimitives.ReadUInt32BigEndian(bytes[96..]), BinaryPrimitives.ReadUInt32BigEndian(bytes[100..]))
            : (0UL, 0UL, 4U, 72U);
        if (version == 3 && (headerLength < 104 || headerLength > clusterSize || fileLength < headerLength))
        {
            throw Invalid($"header_length {headerLength} is out of range (104 to the cluster size, {clusterSize}, inside the file)");
        }

        CheckFeatures(incompatible);
        if (BinaryPrimitives.ReadUInt32BigEndian(bytes[32..]) is var crypt and not 0)
        {
            throw Invalid($"the image is encrypted (crypt_method {crypt}); domus-dm reads unencrypted images only");
        }

        if (BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]) != 0)
        {
            throw Invalid("the image names a backing file; domus-dm reads self-contained images only (flatten it with 'qemu-img convert -O qcow2 IMAGE NEW')");
        }

        if (refcountOrder > 6)
        {
            throw Invalid($"refcount_order {refcountOrder} is out of range (0 to 6)");
        }

        var size = BinaryPrimitives.ReadUInt64BigEndian(bytes[24..]);
        var l1Entries = BinaryPrimitives.ReadUInt32BigEndian(bytes[36..]);
        if (l1Entries > MaxL1Bytes / 8)
        {
            throw Invalid($"the L1 table has {l1Entries} entries, more than {MaxL1Bytes / 8}");
        }

        // One L1 entry maps an L2 table of clusterSize / 8 clusters; at most 2^22 * 2^21 * 2^18 bytes, no overflow.
        var perL1Entry = clusterSize * (clusterSize / 8);
        if (size > (ulong)l1Entries * (ulong)perL1Entry)
        {
            throw Invalid($"the disk's size, {size} bytes, needs {(size + (ulong)perL1Entry - 1) / (ulong)perL1Entry} L1 entries, and the L1 table has {l1Entries}");
        }

        var l1Offset = BinaryPrimitives.ReadUInt64BigEndian(bytes[40..]);
        var refcountTableOffset = BinaryPrimitives.ReadUInt64BigEndian(bytes[48..]);
        var refcountTableClusters = BinaryPrimitives.ReadUInt32BigEndian(bytes[56..]);
        CheckTable("L1 table", l1Offset, l1Entries * 8L, clusterSize, fileLength);
        if (refcountTableClusters == 0 || refcountTableClusters > MaxRefcountTableBytes / clusterSize)
        {
            throw Invalid($"the refcount table has {refcountTableClusters} clusters (1 to {MaxRefcountTableBytes / clusterSize} with {clusterSize}-byte clusters)");
        }

        CheckTable("refcount table", refcountTableOffset, refcountTableClusters * clusterSize, clusterSize, fileLength);
        if (l1Entries > 0 && Overlap((long)l1Offset, l1Entries * 8L, (long)refcountTableOffset, refcountTableClusters * clusterSize))
        {
            throw Invalid($"the L1 table (offset {l1Offset}) and the refcount table (offset {refcountTableOffset}) overlap");
        }

        return new Qcow2Header
        {
            Version = version,
            ClusterBits = (int)clusterBits,
            Size = (long)size,
            L1Entries = (int)l1Entries,
            L1Offset = (long)l1Offset,
            RefcountTableOffset = (long)refcountTableOffset,
            RefcountTableClusters = (int)refcountTableClusters,
            RefcountOrder = (int)refcountOrder,
            AutoclearFeatures = autoclear,
            Dirty = (incompatible & DirtyBit) != 0,
            Snapshots = (int)Math.Min(BinaryPrimitives.ReadUInt32BigEndian(bytes[60..]), int.MaxValue),
        };
    }

    private static void CheckFeatures(ulong incompatible)
    {
        if ((incompatible & CorruptBit) != 0)
        {
            throw Invalid("QEMU marked the image corrupt; repair it with 'qemu-img check -r all'");
        }

        if ((incompatible & ExternalDataFileBit) != 0)
        {
            throw Invalid("the image keeps its data in an external data file; domus-dm reads self-contained images only");
        }

        if ((incompatible & CompressionTypeBit) != 0)
        {
            throw Invalid("the image's compressed clusters are not zlib (zstd); domus-dm reads zlib only (recompress with 'qemu-img convert -c -o compression_type=zlib')");
        }

        if ((incompatible & ExtendedL2Bit) != 0)
        {
            throw Invalid("the image has extended L2 entries (subclusters); domus-dm reads standard L2 entries only (convert with 'qemu-img convert -O qcow2')");
        }

        if ((incompatible & ~(DirtyBit | CorruptBit | ExternalDataFileBit | CompressionTypeBit | ExtendedL2Bit)) is var unknown and not 0)
        {
            var bits = Enumerable.Range(0, 64).Where(bit => (unknown & (1UL << bit)) != 0);
            throw Invalid($"unknown incompatible feature bits {string.Join(", ", bits)}; domus-dm cannot use this image");
        }
    }

    /// <summary>A table in the header: cluster-aligned, past the header's cluster, wholly inside the file.</summary>
    private static void CheckTable(string what, ulong offset, long bytes, long clusterSize, long fileLength)
    {
        if (bytes == 0)
        {
            return;
        }

        if (offset == 0 || offset % (ulong)clusterSize != 0)
        {
            throw Invalid($"the {what}'s offset {offset} is not a cluster boundary past the header");
        }

        if (offset > (ulong)fileLength || (ulong)bytes > (ulong)fileLength - offset)
        {
            throw Invalid($"the {what} (offset {offset}, {bytes} bytes) lies beyond the end of the file ({fileLength} bytes)");
        }
    }

    internal static bool Overlap(long start, long length, long otherStart, long otherLength) =>
        start < otherStart + otherLength && otherStart < start + length;

    internal static IOException Invalid(string problem) => new($"qcow2: {problem}");

    /// <summary>The number of clusters that hold <paramref name="bytes"/> bytes.</summary>
    internal long Clusters(long bytes) => (bytes + ClusterSize - 1) >> ClusterBits;
}
