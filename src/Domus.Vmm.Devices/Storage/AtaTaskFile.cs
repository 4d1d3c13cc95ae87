namespace Domus.Vmm.Devices.Storage;

/// <summary>
/// The command block registers of one device position. Writing a register keeps its previous value as the
/// "high order byte" that 48-bit commands read (and that the host reads back with the HOB bit), as ATA-6 has it.
/// </summary>
public sealed class AtaTaskFile
{
    /// <summary>Device register bit 6: the address is an LBA, not a cylinder/head/sector.</summary>
    public const byte LbaMode = 0x40;

    public byte Features { get; private set; }

    public byte SectorCount { get; set; }

    public byte LbaLow { get; set; }

    public byte LbaMid { get; set; }

    public byte LbaHigh { get; set; }

    public byte PreviousFeatures { get; private set; }

    public byte PreviousSectorCount { get; private set; }

    public byte PreviousLbaLow { get; private set; }

    public byte PreviousLbaMid { get; private set; }

    public byte PreviousLbaHigh { get; private set; }

    /// <summary>Bits 7 and 5 always read as one; bit 4 selects the device; bits 3-0 are the head or LBA 27:24.</summary>
    public byte Device { get; set; } = 0xA0;

    public byte Error { get; set; }

    public bool UsesLba => (Device & LbaMode) != 0;

    /// <summary>The 28-bit LBA of a command.</summary>
    public long Lba28 => ((Device & 0x0F) << 24) | (LbaHigh << 16) | (LbaMid << 8) | LbaLow;

    /// <summary>The 48-bit LBA of an EXT command.</summary>
    public long Lba48 => ((long)PreviousLbaHigh << 40) | ((long)PreviousLbaMid << 32) | ((long)PreviousLbaLow << 24) | ((long)LbaHigh << 16) | ((long)LbaMid << 8) | LbaLow;

    /// <summary>Sector count of a 28-bit command: 0 means 256.</summary>
    public int Count28 => SectorCount == 0 ? 256 : SectorCount;

    /// <summary>Sector count of an EXT command: 0 means 65536.</summary>
    public int Count48 => (PreviousSectorCount << 8 | SectorCount) is var count and not 0 ? count : 65536;

    /// <summary>The byte count limit an ATAPI host puts in the cylinder registers.</summary>
    public int ByteCount
    {
        get => LbaMid | (LbaHigh << 8);
        set
        {
            LbaMid = (byte)value;
            LbaHigh = (byte)(value >> 8);
        }
    }

    /// <summary>A host write to command block register 1-5.</summary>
    public void Write(int register, byte value)
    {
        switch (register)
        {
            case 1:
                PreviousFeatures = Features;
                Features = value;
                break;
            case 2:
                PreviousSectorCount = SectorCount;
                SectorCount = value;
                break;
            case 3:
                PreviousLbaLow = LbaLow;
                LbaLow = value;
                break;
            case 4:
                PreviousLbaMid = LbaMid;
                LbaMid = value;
                break;
            case 5:
                PreviousLbaHigh = LbaHigh;
                LbaHigh = value;
                break;
        }
    }

    /// <summary>A host read of command block register 1-5, of the previous values when <paramref name="highOrder"/>.</summary>
    public byte Read(int register, bool highOrder) => register switch
    {
        1 => Error,
        2 => highOrder ? PreviousSectorCount : SectorCount,
        3 => highOrder ? PreviousLbaLow : LbaLow,
        4 => highOrder ? PreviousLbaMid : LbaMid,
        5 => highOrder ? PreviousLbaHigh : LbaHigh,
        _ => 0xFF,
    };

    /// <summary>The signature a device leaves after reset and diagnostics, by which the host tells ATA from ATAPI.</summary>
    public void SetSignature(bool packetDevice)
    {
        SectorCount = 1;
        LbaLow = 1;
        LbaMid = packetDevice ? (byte)0x14 : (byte)0;
        LbaHigh = packetDevice ? (byte)0xEB : (byte)0;
        Error = AtaError.DiagnosticPassed;
    }
}
