using Domus.Vmm.Backends.Disks;

namespace Domus.Vmm.Devices.Storage;

/// <summary>
/// An ATA hard disk on a disk image: IDENTIFY DEVICE, PIO reads and writes by LBA28, LBA48 and CHS (single
/// sector and multiple-block), DMA reads and writes by LBA28 and LBA48, verify, flush, and the housekeeping commands firmware and drivers send. A
/// failure of the host's storage reaches the guest as an uncorrectable-data error, never the VMM.
/// </summary>
public sealed class AtaDisk : AtaDevice
{
    private const int MaxMultiple = 16;

    /// <summary>The block size <see cref="StartTransfer"/> takes for a DMA command, whose data moves in no PIO blocks.</summary>
    private const int ByDma = 0;
    private readonly IDiskImage _image;
    private readonly string _serial;
    private readonly long _sectors;
    private DiskGeometry _translation;
    private int _multiple;
    private long _lba;
    private int _remaining;
    private int _blockSectors;
    private bool _writing;
    private long _dmaOffset;

    public AtaDisk(IDiskImage image, string serial)
        : base(MaxMultiple * SectorSize)
    {
        _image = image;
        _serial = serial;
        _sectors = image.Length / SectorSize;
        Geometry = DiskGeometry.For(_sectors);
        _translation = Geometry;
    }

    public override bool IsPacketDevice => false;

    /// <summary>The default geometry, as IDENTIFY reports it and the BIOS translates it.</summary>
    public DiskGeometry Geometry { get; }

    protected override void OnReset()
    {
        _remaining = 0;
    }

    protected override bool ExecuteCommand(byte command)
    {
        var registers = Registers;
        switch (command)
        {
            case 0xEC: // IDENTIFY DEVICE
                Identify(Block(SectorSize));
                _remaining = 0;
                _writing = false;
                SendToHost(SectorSize);
                return true;
            case 0x20 or 0x21: // READ SECTORS (with and without retries)
                return StartTransfer(Address28(), registers.Count28, 1, writing: false);
            case 0x24: // READ SECTORS EXT
                return StartTransfer(registers.Lba48, registers.Count48, 1, writing: false);
            case 0xC4: // READ MULTIPLE
                return _multiple != 0 && StartTransfer(Address28(), registers.Count28, _multiple, writing: false);
            case 0x29: // READ MULTIPLE EXT
                return _multiple != 0 && StartTransfer(registers.Lba48, registers.Count48, _multiple, writing: false);
            case 0x30 or 0x31: // WRITE SECTORS
                return StartTransfer(Address28(), registers.Count28, 1, writing: true);
            case 0x34: // WRITE SECTORS EXT
                return StartTransfer(registers.Lba48, registers.Count48, 1, writing: true);
            case 0xC5: // WRITE MULTIPLE
                return _multiple != 0 && StartTransfer(Address28(), registers.Count28, _multiple, writing: true);
            case 0x39: // WRITE MULTIPLE EXT
                return _multiple != 0 && StartTransfer(registers.Lba48, registers.Count48, _multiple, writing: true);
            case 0xC8 or 0xC9: // READ DMA (with and without retries)
                return StartTransfer(Address28(), registers.Count28, ByDma, writing: false);
            case 0x25: // READ DMA EXT
                return StartTransfer(registers.Lba48, registers.Count48, ByDma, writing: false);
            case 0xCA or 0xCB: // WRITE DMA
                return StartTransfer(Address28(), registers.Count28, ByDma, writing: true);
            case 0x35: // WRITE DMA EXT
                return StartTransfer(registers.Lba48, registers.Count48, ByDma, writing: true);
            case 0x40 or 0x41: // READ VERIFY SECTORS
                return Verify(Address28(), registers.Count28);
            case 0x42: // READ VERIFY SECTORS EXT
                return Verify(registers.Lba48, registers.Count48);
            case 0xC6: // SET MULTIPLE MODE: 0 turns it off, else a power of two up to the maximum
                if (registers.SectorCount > MaxMultiple || (registers.SectorCount & (registers.SectorCount - 1)) != 0)
                {
                    return false;
                }

                _multiple = registers.SectorCount;
                Complete();
                return true;
            case 0x91: // INITIALIZE DEVICE PARAMETERS: the CHS translation the host wants
                if (registers.SectorCount == 0)
                {
                    return false;
                }

                var heads = (registers.Device & 0x0F) + 1;
                var cylinders = (int)Math.Min(_sectors / (heads * registers.SectorCount), 65535);
                _translation = new DiskGeometry(cylinders, heads, registers.SectorCount);
                Complete();
                return true;
            case >= 0x10 and <= 0x1F or 0x70: // RECALIBRATE, SEEK
                Complete();
                return true;
            case 0xE7 or 0xEA: // FLUSH CACHE (EXT)
                return Flush();
            case 0xF8: // READ NATIVE MAX ADDRESS
                var max28 = Math.Min(_sectors, 1L << 28) - 1;
                registers.LbaLow = (byte)max28;
                registers.LbaMid = (byte)(max28 >> 8);
                registers.LbaHigh = (byte)(max28 >> 16);
                registers.Device = (byte)((registers.Device & 0xF0) | (int)((max28 >> 24) & 0x0F));
                Complete();
                return true;
            case 0x27: // READ NATIVE MAX ADDRESS EXT
                var max48 = _sectors - 1;
                registers.Write(3, (byte)(max48 >> 24));
                registers.Write(4, (byte)(max48 >> 32));
                registers.Write(5, (byte)(max48 >> 40));
                registers.Write(3, (byte)max48);
                registers.Write(4, (byte)(max48 >> 8));
                registers.Write(5, (byte)(max48 >> 16));
                Complete();
                return true;
            default:
                return false;
        }
    }

    protected override void OnBlockTransferred(ReadOnlySpan<byte> block)
    {
        if (_writing)
        {
            try
            {
                _image.Write(_lba * SectorSize, block);
            }
            catch (IOException)
            {
                Fail(AtaError.Uncorrectable);
                return;
            }

            var written = block.Length / SectorSize;
            _lba += written;
            _remaining -= written;
            if (_remaining > 0)
            {
                ReceiveFromHost(Math.Min(_blockSectors, _remaining) * SectorSize, interrupt: true);
            }
            else
            {
                Complete();
            }
        }
        else if (_remaining > 0)
        {
            SendNextBlock();
        }
    }

    protected override bool MoveDma(Span<byte> memory)
    {
        try
        {
            if (_writing)
            {
                _image.Write(_dmaOffset, memory);
            }
            else
            {
                _image.Read(_dmaOffset, memory);
            }
        }
        catch (IOException)
        {
            Fail(AtaError.Uncorrectable);
            return false;
        }

        _dmaOffset += memory.Length;
        return true;
    }

    /// <summary>The address of a 28-bit command, converting CHS through the current translation.</summary>
    private long Address28()
    {
        var registers = Registers;
        if (registers.UsesLba)
        {
            return registers.Lba28;
        }

        var cylinder = registers.LbaMid | (registers.LbaHigh << 8);
        var head = registers.Device & 0x0F;
        var sector = registers.LbaLow;
        if (sector == 0 || sector > _translation.SectorsPerTrack || head >= _translation.Heads)
        {
            return -1;
        }

        return ((((long)cylinder * _translation.Heads) + head) * _translation.SectorsPerTrack) + sector - 1;
    }

    private bool InRange(long lba, int count) => lba >= 0 && lba + count <= _sectors;

    /// <summary>A read or write of <paramref name="count"/> sectors in PIO blocks of <paramref name="blockSectors"/>, or by DMA.</summary>
    private bool StartTransfer(long lba, int count, int blockSectors, bool writing)
    {
        if (!InRange(lba, count))
        {
            Fail(AtaError.IdNotFound);
            return true;
        }

        if (writing && _image.IsReadOnly)
        {
            return false;
        }

        (_lba, _remaining, _blockSectors, _writing) = (lba, count, blockSectors, writing);
        if (blockSectors == ByDma)
        {
            _dmaOffset = lba * SectorSize;
            RequestDma((long)count * SectorSize, toMemory: !writing);
        }
        else if (writing)
        {
            ReceiveFromHost(Math.Min(blockSectors, count) * SectorSize, interrupt: false);
        }
        else
        {
            SendNextBlock();
        }

        return true;
    }

    private void SendNextBlock()
    {
        var sectors = Math.Min(_blockSectors, _remaining);
        var block = Block(sectors * SectorSize);
        try
        {
            _image.Read(_lba * SectorSize, block);
        }
        catch (IOException)
        {
            Fail(AtaError.Uncorrectable);
            return;
        }

        _lba += sectors;
        _remaining -= sectors;
        SendToHost(block.Length);
    }

    private bool Verify(long lba, int count)
    {
        if (!InRange(lba, count))
        {
            Fail(AtaError.IdNotFound);
        }
        else
        {
            Complete();
        }

        return true;
    }

    private bool Flush()
    {
        try
        {
            if (!_image.IsReadOnly)
            {
                _image.Flush();
            }
        }
        catch (IOException)
        {
            return false;
        }

        Complete();
        return true;
    }

    private void Identify(Span<byte> id)
    {
        id.Clear();
        var lba28 = Math.Min(_sectors, (1L << 28) - 1);
        PutWord(id, 0, 0x0040); // fixed disk
        PutWord(id, 1, Geometry.Cylinders);
        PutWord(id, 3, Geometry.Heads);
        PutWord(id, 6, Geometry.SectorsPerTrack);
        PutString(id, 10, 10, _serial);
        PutString(id, 23, 4, "1.0");
        PutString(id, 27, 20, "DOMUS HARDDISK");
        PutWord(id, 47, 0x8000 | MaxMultiple);
        PutDmaWords(id, 0x0A00, 0x0003); // LBA, IORDY; words 54-58 and 64-70 are valid
        PutWord(id, 50, 0x4000);
        PutWord(id, 51, 0x0200); // PIO mode 2 timing
        PutWord(id, 54, _translation.Cylinders);
        PutWord(id, 55, _translation.Heads);
        PutWord(id, 56, _translation.SectorsPerTrack);
        var current = Math.Min(_translation.Sectors, _sectors);
        PutWord(id, 57, (int)current);
        PutWord(id, 58, (int)(current >> 16));
        PutWord(id, 59, _multiple == 0 ? 0 : 0x0100 | _multiple);
        PutWord(id, 60, (int)lba28);
        PutWord(id, 61, (int)(lba28 >> 16));
        PutWord(id, 64, 0x0003); // PIO modes 3 and 4
        PutWord(id, 65, 120);
        PutWord(id, 66, 120);
        PutWord(id, 67, 120);
        PutWord(id, 68, 120);
        PutWord(id, 80, 0x00F0); // ATA-4 to ATA-7
        PutWord(id, 81, 0x0016);
        PutWord(id, 82, 0x4020); // NOP, write cache
        PutWord(id, 83, 0x7400); // FLUSH CACHE EXT, FLUSH CACHE, 48-bit addresses
        PutWord(id, 84, 0x4000);
        PutWord(id, 85, 0x4020);
        PutWord(id, 86, 0x3400);
        PutWord(id, 87, 0x4000);
        PutWord(id, 93, 0x6001); // hardware reset result: device 0 passed by jumper
        PutWord(id, 100, (int)_sectors);
        PutWord(id, 101, (int)(_sectors >> 16));
        PutWord(id, 102, (int)(_sectors >> 32));
        PutWord(id, 103, (int)(_sectors >> 48));
        SealIdentify(id);
    }
}
