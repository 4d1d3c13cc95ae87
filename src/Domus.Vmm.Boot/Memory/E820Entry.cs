using System.Buffers.Binary;

namespace Domus.Vmm.Boot.Memory;

/// <summary>One range of the e820 map: address and length in bytes, and what the range is.</summary>
public readonly record struct E820Entry(ulong Address, ulong Length, E820Type Type)
{
    /// <summary>The 20-byte form of struct boot_e820_entry and QEMU's etc/e820 file: address, size, type.</summary>
    public const int Size = 20;

    public void WriteTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(destination, Address);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[8..], Length);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[16..], (uint)Type);
    }
}
