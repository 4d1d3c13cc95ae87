using System.Buffers.Binary;
using Domus.Vmm.Memory;

namespace Domus.Vmm.Devices.Network;

/// <summary>
/// One receive or transmit descriptor in guest memory, in the layout the software style selects: style 0 (16-bit
/// Lance: four words, 24-bit addresses), style 2 (32-bit: address, length and status, count) or style 3 (style 2
/// with the address and count swapped). <see cref="Status"/> is the descriptor's status word (OWN is bit 15).
/// </summary>
public readonly record struct PcnetDescriptor(ulong Location, int Style, uint Address, ushort Status, ushort ByteCount)
{
    public const ushort Own = 0x8000, Error = 0x4000, StartOfPacket = 0x0200, EndOfPacket = 0x0100;

    /// <summary>Receive status bits: physical, broadcast and logical address matches.</summary>
    public const ushort PhysicalMatch = 0x0040, LogicalMatch = 0x0020, BroadcastMatch = 0x0010;

    public static int SizeOf(int style) => style == 0 ? 8 : 16;

    public bool IsOwnedByController => (Status & Own) != 0;

    /// <summary>The buffer's length, which the driver writes as a negative 12-bit number.</summary>
    public int BufferLength => -(short)(ByteCount | 0xF000);

    public static PcnetDescriptor Read(GuestMemory memory, ulong location, int style)
    {
        if (style == 0)
        {
            Span<byte> words = stackalloc byte[8];
            memory.Read(location, words);
            var word1 = BinaryPrimitives.ReadUInt16LittleEndian(words[2..]);
            return new PcnetDescriptor(location, style, BinaryPrimitives.ReadUInt16LittleEndian(words) | ((uint)(word1 & 0xFF) << 16), (ushort)(word1 & 0xFF00), BinaryPrimitives.ReadUInt16LittleEndian(words[4..]));
        }

        Span<byte> dwords = stackalloc byte[12];
        memory.Read(location, dwords);
        var address = BinaryPrimitives.ReadUInt32LittleEndian(style == 3 ? dwords[8..] : dwords);
        return new PcnetDescriptor(location, style, address, BinaryPrimitives.ReadUInt16LittleEndian(dwords[6..]), BinaryPrimitives.ReadUInt16LittleEndian(dwords[4..]));
    }

    /// <summary>Hands the descriptor back to the driver (or changes its status) and writes its count word.</summary>
    public void Complete(GuestMemory memory, ushort status, uint count)
    {
        if (Style == 0)
        {
            memory.Write(Location + 6, (ushort)count);
            memory.Write(Location + 2, (ushort)((Address >> 16 & 0xFF) | status));
            return;
        }

        memory.Write(Style == 3 ? Location : Location + 8, count);
        memory.Write(Location + 6, status);
    }
}
