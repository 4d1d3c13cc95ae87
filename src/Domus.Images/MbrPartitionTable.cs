using System.Buffers.Binary;

namespace Domus.Images;

/// <summary>A DOS partition table with one bootable partition, written into the first sector of a disk image.</summary>
public static class MbrPartitionTable
{
    public const int SectorSize = 512;
    private const int TableOffset = 446;

    /// <summary>Writes partition 1 (<paramref name="type"/>, active) from <paramref name="firstSector"/> to the end of the disk, and the 0x55AA signature.</summary>
    public static void WriteSinglePartition(Stream disk, long firstSector, long sectors, byte type)
    {
        var sector = new byte[SectorSize];
        disk.Position = 0;
        disk.ReadExactly(sector);
        var entry = sector.AsSpan(TableOffset, 16);
        entry.Clear();
        entry[0] = 0x80;
        WriteChs(entry[1..4], firstSector);
        entry[4] = type;
        WriteChs(entry[5..8], firstSector + sectors - 1);
        BinaryPrimitives.WriteUInt32LittleEndian(entry[8..], checked((uint)firstSector));
        BinaryPrimitives.WriteUInt32LittleEndian(entry[12..], checked((uint)sectors));
        sector[510] = 0x55;
        sector[511] = 0xAA;
        disk.Position = 0;
        disk.Write(sector);
    }

    /// <summary>The cylinder/head/sector form of an address, for a 255-head, 63-sector geometry, saturating as LBA-era BIOSes expect.</summary>
    private static void WriteChs(Span<byte> chs, long lba)
    {
        const int heads = 255;
        const int sectorsPerTrack = 63;
        var cylinder = lba / (heads * sectorsPerTrack);
        if (cylinder > 1023)
        {
            chs[0] = 0xFE;
            chs[1] = 0xFF;
            chs[2] = 0xFF;
            return;
        }

        var head = lba / sectorsPerTrack % heads;
        var sector = (lba % sectorsPerTrack) + 1;
        chs[0] = (byte)head;
        chs[1] = (byte)(sector | ((cylinder >> 2) & 0xC0));
        chs[2] = (byte)cylinder;
    }
}
