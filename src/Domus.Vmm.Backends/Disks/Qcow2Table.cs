using System.Buffers.Binary;

namespace Domus.Vmm.Backends.Disks;

/// <summary>One cluster of metadata held in memory (an L2 table or a refcount block), and whether the file lags behind it.</summary>
internal sealed class Qcow2Table(long offset, byte[] data)
{
    public long Offset => offset;

    public byte[] Data => data;

    public bool Dirty { get; set; }

    public ulong this[int index]
    {
        get => BinaryPrimitives.ReadUInt64BigEndian(data.AsSpan(index * 8));
        set => BinaryPrimitives.WriteUInt64BigEndian(data.AsSpan(index * 8), value);
    }
}
