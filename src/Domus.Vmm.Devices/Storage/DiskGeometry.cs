namespace Domus.Vmm.Devices.Storage;

/// <summary>A disk's cylinder/head/sector shape, for software that still addresses by CHS.</summary>
public readonly record struct DiskGeometry(int Cylinders, int Heads, int SectorsPerTrack)
{
    /// <summary>The shape ATA drives report: 16 heads of 63 sectors, at most 16383 cylinders.</summary>
    public static DiskGeometry For(long sectors)
    {
        const int heads = 16, sectorsPerTrack = 63;
        var cylinders = (int)Math.Clamp(sectors / (heads * sectorsPerTrack), 1, 16383);
        return new DiskGeometry(cylinders, heads, sectorsPerTrack);
    }

    public long Sectors => (long)Cylinders * Heads * SectorsPerTrack;
}
