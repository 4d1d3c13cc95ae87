using System.Buffers.Binary;
using Domus.Vmm.Backends.Disks;

namespace Domus.Vmm.Devices.Storage;

/// <summary>
/// An ATAPI CD/DVD-ROM drive with an ISO image, or empty. The host sends 12-byte SCSI (MMC) packets with the
/// PACKET command; replies go back in blocks no larger than the byte count the host allows, with the interrupt
/// reason in the sector count register, or by DMA when the host asks for it in FEATURES. It answers what SeaBIOS'
/// El Torito boot, Linux' sr and Windows need: TEST UNIT READY, REQUEST SENSE, INQUIRY, MODE SENSE, READ CAPACITY,
/// READ(10/12), READ CD (user data), READ TOC, GET CONFIGURATION, GET EVENT STATUS NOTIFICATION, MECHANISM STATUS,
/// locking and ejecting.
/// </summary>
public sealed class AtapiCdrom : AtaDevice
{
    public const int BlockSize = 2048;
    private const int PacketSize = 12;
    private const byte CommandOrData = 0x01, InputToHost = 0x02;
    private const long CdMaximumBlocks = 80 * 60 * 75;
    private const byte MediaEventNone = 0, MediaEventNew = 2, MediaEventRemoval = 3;

    private readonly string _serial;
    private IDiskImage? _media;
    private ScsiSense _sense = ScsiSense.None;
    private bool _unitAttention;
    private byte _mediaEvent;
    private bool _locked;
    private bool _awaitingPacket;
    private bool _sendingReply;
    private bool _packetDma;
    private byte[]? _reply;
    private long _offset;
    private long _remaining;
    private int _byteLimit;

    public AtapiCdrom(IDiskImage? media, string serial)
        : base(ushort.MaxValue + 1)
    {
        _media = media;
        _serial = serial;
    }

    public override bool IsPacketDevice => true;

    public bool HasMedia => _media is not null;

    private long Blocks => (_media?.Length ?? 0) / BlockSize;

    /// <summary>Puts a new disc in (or takes it out, with null); the guest sees a unit attention and a media event.</summary>
    public void ChangeMedia(IDiskImage? media)
    {
        _media?.Dispose();
        _media = media;
        _unitAttention = media is not null;
        _mediaEvent = media is not null ? MediaEventNew : MediaEventRemoval;
    }

    protected override void OnReset()
    {
        _awaitingPacket = false;
        _sendingReply = false;
    }

    protected override bool ExecuteCommand(byte command)
    {
        switch (command)
        {
            case 0xA1: // IDENTIFY PACKET DEVICE
                Identify(Block(SectorSize));
                _awaitingPacket = false;
                _sendingReply = false;
                SendToHost(SectorSize);
                return true;
            case 0xEC: // IDENTIFY DEVICE: a packet device aborts it and shows its signature
                Registers.SetSignature(packetDevice: true);
                return false;
            case 0x08: // DEVICE RESET
                Reset();
                return true;
            case 0xA0: // PACKET
                _packetDma = (Registers.Features & 0x01) != 0;
                var limit = Registers.ByteCount is 0 or 0xFFFF ? 0xFFFE : Registers.ByteCount;
                _byteLimit = limit & ~1;
                _awaitingPacket = true;
                Registers.SectorCount = CommandOrData;
                ReceiveFromHost(PacketSize, interrupt: false);
                return true;
            default:
                return false;
        }
    }

    protected override void OnBlockTransferred(ReadOnlySpan<byte> block)
    {
        if (_awaitingPacket)
        {
            _awaitingPacket = false;
            ExecutePacket(block);
        }
        else if (_sendingReply && _remaining > 0)
        {
            SendNextChunk();
        }
        else if (_sendingReply)
        {
            Done();
        }
    }

    private void ExecutePacket(ReadOnlySpan<byte> cdb)
    {
        _reply = null;
        _remaining = 0;
        var operation = cdb[0];
        if (_unitAttention && operation is not (0x12 or 0x03 or 0x4A))
        {
            _unitAttention = false;
            CheckCondition(ScsiSense.MediumMayHaveChanged);
            return;
        }

        switch (operation)
        {
            case 0x00 or 0x2B or 0xBB: // TEST UNIT READY, SEEK(10), SET CD SPEED
                if (MediaPresent())
                {
                    Done();
                }

                break;
            case 0x03: // REQUEST SENSE
                RequestSense(cdb[4]);
                break;
            case 0x12: // INQUIRY
                Inquiry(cdb);
                break;
            case 0x1A: // MODE SENSE(6)
                ModeSense(cdb[2], cdb[4], longHeader: false);
                break;
            case 0x5A: // MODE SENSE(10)
                ModeSense(cdb[2], BinaryPrimitives.ReadUInt16BigEndian(cdb[7..]), longHeader: true);
                break;
            case 0x1B: // START STOP UNIT
                StartStop(cdb[4]);
                break;
            case 0x1E: // PREVENT ALLOW MEDIUM REMOVAL
                _locked = (cdb[4] & 0x01) != 0;
                Done();
                break;
            case 0x25: // READ CAPACITY
                if (MediaPresent())
                {
                    var capacity = new byte[8];
                    BinaryPrimitives.WriteUInt32BigEndian(capacity, (uint)(Blocks - 1));
                    BinaryPrimitives.WriteUInt32BigEndian(capacity.AsSpan(4), BlockSize);
                    Reply(capacity, capacity.Length);
                }

                break;
            case 0x28: // READ(10)
                ReadBlocks(BinaryPrimitives.ReadUInt32BigEndian(cdb[2..]), BinaryPrimitives.ReadUInt16BigEndian(cdb[7..]));
                break;
            case 0xA8: // READ(12)
                ReadBlocks(BinaryPrimitives.ReadUInt32BigEndian(cdb[2..]), BinaryPrimitives.ReadUInt32BigEndian(cdb[6..]));
                break;
            case 0xBE: // READ CD: only the user data of data sectors is offered
                var flags = cdb[9];
                var blocks = (uint)(cdb[6] << 16 | cdb[7] << 8 | cdb[8]);
                if (flags == 0)
                {
                    ReadBlocks(BinaryPrimitives.ReadUInt32BigEndian(cdb[2..]), 0);
                }
                else if (flags == 0x10)
                {
                    ReadBlocks(BinaryPrimitives.ReadUInt32BigEndian(cdb[2..]), blocks);
                }
                else
                {
                    CheckCondition(ScsiSense.InvalidFieldInCdb);
                }

                break;
            case 0x43: // READ TOC/PMA/ATIP
                if (MediaPresent())
                {
                    ReadToc(cdb);
                }

                break;
            case 0x46: // GET CONFIGURATION
                GetConfiguration(cdb);
                break;
            case 0x4A: // GET EVENT STATUS NOTIFICATION
                GetEventStatus(cdb);
                break;
            case 0xBD: // MECHANISM STATUS
                Reply(new byte[8], BinaryPrimitives.ReadUInt16BigEndian(cdb[8..]));
                break;
            default:
                CheckCondition(ScsiSense.InvalidOperationCode);
                break;
        }
    }

    /// <summary>True when a disc is in; otherwise the command ends with NOT READY, MEDIUM NOT PRESENT.</summary>
    private bool MediaPresent()
    {
        if (_media is null)
        {
            CheckCondition(ScsiSense.MediumNotPresent);
        }

        return _media is not null;
    }

    private void ReadBlocks(uint lba, uint count)
    {
        if (!MediaPresent())
        {
            return;
        }

        if (lba + (ulong)count > (ulong)Blocks)
        {
            CheckCondition(ScsiSense.LbaOutOfRange);
        }
        else if (count == 0)
        {
            Done();
        }
        else
        {
            _offset = (long)lba * BlockSize;
            _remaining = count * (long)BlockSize;
            SendReply();
        }
    }

    private void Reply(ReadOnlySpan<byte> data, int allocationLength)
    {
        var length = Math.Min(data.Length, allocationLength);
        if (length == 0)
        {
            Done();
            return;
        }

        _reply = data[..length].ToArray();
        _offset = 0;
        _remaining = length;
        SendReply();
    }

    private void SendReply()
    {
        if (_packetDma)
        {
            RequestDma(_remaining, toMemory: true);
        }
        else
        {
            SendNextChunk();
        }
    }

    protected override bool MoveDma(Span<byte> memory) => TakeReply(memory);

    protected override void OnDmaComplete() => Done();

    protected override void OnDmaAborted() => CheckCondition(ScsiSense.AbortedCommand);

    /// <summary>One DRQ block of the reply, as large as the host's byte count allows.</summary>
    private void SendNextChunk()
    {
        var length = (int)Math.Min(_remaining, _byteLimit);
        if (!TakeReply(Block(length)))
        {
            return;
        }

        _sendingReply = true;
        Registers.ByteCount = length;
        Registers.SectorCount = InputToHost;
        SendToHost(length);
    }

    /// <summary>The next bytes of the reply or of the disc into <paramref name="chunk"/>; false when the command failed instead.</summary>
    private bool TakeReply(Span<byte> chunk)
    {
        if (_reply is not null)
        {
            _reply.AsSpan((int)_offset, chunk.Length).CopyTo(chunk);
        }
        else if (_media is null)
        {
            CheckCondition(ScsiSense.MediumNotPresent); // ejected between the command and its DMA
            return false;
        }
        else
        {
            try
            {
                _media.Read(_offset, chunk);
            }
            catch (IOException)
            {
                CheckCondition(ScsiSense.UnrecoveredReadError);
                return false;
            }
        }

        _offset += chunk.Length;
        _remaining -= chunk.Length;
        return true;
    }

    private void Done()
    {
        _sendingReply = false;
        _reply = null;
        Registers.SectorCount = InputToHost | CommandOrData;
        Complete();
    }

    private void CheckCondition(ScsiSense sense)
    {
        _sense = sense;
        _sendingReply = false;
        _reply = null;
        Registers.SectorCount = InputToHost | CommandOrData;
        Fail((byte)(sense.Key << 4));
    }

    private void RequestSense(int allocationLength)
    {
        var sense = _media is null && _sense == ScsiSense.None ? ScsiSense.MediumNotPresent : _sense;
        var reply = new byte[18];
        reply[0] = 0x70;
        reply[2] = sense.Key;
        reply[7] = 10;
        reply[12] = sense.Code;
        reply[13] = sense.Qualifier;
        _sense = ScsiSense.None;
        Reply(reply, allocationLength);
    }

    private void Inquiry(ReadOnlySpan<byte> cdb)
    {
        if ((cdb[1] & 0x01) != 0)
        {
            CheckCondition(ScsiSense.InvalidFieldInCdb); // no vital product data pages
            return;
        }

        var reply = new byte[36];
        reply[0] = 0x05; // CD/DVD device
        reply[1] = 0x80; // removable
        reply[3] = 0x21; // ATAPI, response data format 1
        reply[4] = (byte)(reply.Length - 5);
        "DOMUS   DVD-ROM         1.0 "u8.CopyTo(reply.AsSpan(8));
        Reply(reply, cdb[4]);
    }

    private void ModeSense(byte pageByte, int allocationLength, bool longHeader)
    {
        var control = pageByte >> 6;
        var page = pageByte & 0x3F;
        if (control == 3)
        {
            CheckCondition(ScsiSense.SavingParametersNotSupported);
            return;
        }

        var pages = new List<byte[]>();
        if (page is 0x01 or 0x3F)
        {
            pages.Add([0x01, 0x06, 0x00, 0x05, 0, 0, 0, 0]); // read error recovery: 5 retries
        }

        if (page is 0x2A or 0x3F)
        {
            pages.Add(CapabilitiesPage());
        }

        if (pages.Count == 0)
        {
            CheckCondition(ScsiSense.InvalidFieldInCdb);
            return;
        }

        if (control == 1)
        {
            pages.ForEach(p => p.AsSpan(2).Clear()); // nothing is changeable
        }

        var header = longHeader ? 8 : 4;
        var reply = new byte[header + pages.Sum(p => p.Length)];
        var position = header;
        foreach (var p in pages)
        {
            p.CopyTo(reply, position);
            position += p.Length;
        }

        if (longHeader)
        {
            BinaryPrimitives.WriteUInt16BigEndian(reply, (ushort)(reply.Length - 2));
        }
        else
        {
            reply[0] = (byte)(reply.Length - 1);
        }

        Reply(reply, allocationLength);
    }

    /// <summary>MMC page 0x2A: reads CD-R/RW and DVD-ROM, multisession, tray loader that locks and ejects.</summary>
    private byte[] CapabilitiesPage()
    {
        var page = new byte[20];
        page[0] = 0x2A;
        page[1] = 0x12;
        page[2] = 0x0F;
        page[4] = 0x71;
        page[6] = (byte)(0x29 | (_locked ? 0x02 : 0));
        BinaryPrimitives.WriteUInt16BigEndian(page.AsSpan(8), 706); // 4x, in kB/s
        BinaryPrimitives.WriteUInt16BigEndian(page.AsSpan(10), 256);
        BinaryPrimitives.WriteUInt16BigEndian(page.AsSpan(12), 512);
        BinaryPrimitives.WriteUInt16BigEndian(page.AsSpan(14), 706);
        return page;
    }

    private void StartStop(byte flags)
    {
        var loadEject = (flags & 0x02) != 0;
        var start = (flags & 0x01) != 0;
        if (loadEject && !start)
        {
            if (_locked)
            {
                CheckCondition(ScsiSense.MediumRemovalPrevented);
                return;
            }

            if (_media is not null)
            {
                ChangeMedia(null);
            }
        }

        Done();
    }

    private void ReadToc(ReadOnlySpan<byte> cdb)
    {
        var msf = (cdb[1] & 0x02) != 0;
        var format = (cdb[2] & 0x0F) is var f and not 0 ? f : cdb[9] >> 6;
        var allocationLength = BinaryPrimitives.ReadUInt16BigEndian(cdb[7..]);
        var track = cdb[6];
        byte[] reply;
        if (format == 0)
        {
            if (track > 1 && track != 0xAA)
            {
                CheckCondition(ScsiSense.InvalidFieldInCdb);
                return;
            }

            var descriptors = new List<(byte Track, long Lba)>();
            if (track <= 1)
            {
                descriptors.Add((1, 0));
            }

            descriptors.Add((0xAA, Blocks));
            reply = new byte[4 + (8 * descriptors.Count)];
            for (var i = 0; i < descriptors.Count; i++)
            {
                var entry = reply.AsSpan(4 + (8 * i), 8);
                entry[1] = 0x14; // ADR 1, data track
                entry[2] = descriptors[i].Track;
                PutAddress(entry[4..], descriptors[i].Lba, msf);
            }
        }
        else if (format == 1)
        {
            reply = new byte[12];
            reply[5] = 0x14;
            reply[6] = 1;
            PutAddress(reply.AsSpan(8), 0, msf);
        }
        else
        {
            CheckCondition(ScsiSense.InvalidFieldInCdb);
            return;
        }

        BinaryPrimitives.WriteUInt16BigEndian(reply, (ushort)(reply.Length - 2));
        reply[2] = 1;
        reply[3] = 1;
        Reply(reply, allocationLength);
    }

    /// <summary>A TOC address: an LBA, or minute/second/frame counted from the 2-second lead-in.</summary>
    private static void PutAddress(Span<byte> destination, long lba, bool msf)
    {
        if (!msf)
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination, (uint)lba);
            return;
        }

        var frames = lba + 150;
        destination[0] = 0;
        destination[1] = (byte)(frames / (60 * 75));
        destination[2] = (byte)(frames / 75 % 60);
        destination[3] = (byte)(frames % 75);
    }

    /// <summary>MMC feature descriptors: the profile list (DVD-ROM, CD-ROM) and the core feature (ATAPI).</summary>
    private void GetConfiguration(ReadOnlySpan<byte> cdb)
    {
        var requestType = cdb[1] & 0x03;
        var start = BinaryPrimitives.ReadUInt16BigEndian(cdb[2..]);
        ushort profile = _media is null ? (ushort)0 : Blocks > CdMaximumBlocks ? (ushort)0x0010 : (ushort)0x0008;
        var features = new List<byte[]>();
        void Add(ushort code, byte[] descriptor)
        {
            if (requestType == 2 ? code == start : code >= start)
            {
                BinaryPrimitives.WriteUInt16BigEndian(descriptor, code);
                features.Add(descriptor);
            }
        }

        Add(0x0000, [0, 0, 0x03, 8, 0x00, 0x10, (byte)(profile == 0x0010 ? 1 : 0), 0, 0x00, 0x08, (byte)(profile == 0x0008 ? 1 : 0), 0]);
        Add(0x0001, [0, 0, 0x0B, 8, 0, 0, 0, 2, 0x01, 0, 0, 0]);
        var reply = new byte[8 + features.Sum(f => f.Length)];
        var position = 8;
        foreach (var feature in features)
        {
            feature.CopyTo(reply, position);
            position += feature.Length;
        }

        BinaryPrimitives.WriteUInt32BigEndian(reply, (uint)(reply.Length - 4));
        BinaryPrimitives.WriteUInt16BigEndian(reply.AsSpan(6), profile);
        Reply(reply, BinaryPrimitives.ReadUInt16BigEndian(cdb[7..]));
    }

    /// <summary>Only polled requests and only the media class, as drives of the ATAPI era answer.</summary>
    private void GetEventStatus(ReadOnlySpan<byte> cdb)
    {
        if ((cdb[1] & 0x01) == 0)
        {
            CheckCondition(ScsiSense.InvalidFieldInCdb);
            return;
        }

        byte[] reply;
        if ((cdb[4] & 0x10) != 0)
        {
            reply = [0, 6, 0x04, 0x10, _mediaEvent, (byte)(_media is null ? 0 : 0x02), 0, 0];
            _mediaEvent = MediaEventNone;
        }
        else
        {
            reply = [0, 2, 0x80, 0x10];
        }

        Reply(reply, BinaryPrimitives.ReadUInt16BigEndian(cdb[7..]));
    }

    private void Identify(Span<byte> id)
    {
        id.Clear();
        PutWord(id, 0, 0x85C0); // ATAPI, CD-ROM, removable, accelerated DRQ, 12-byte packets
        PutString(id, 10, 10, _serial);
        PutString(id, 23, 4, "1.0");
        PutString(id, 27, 20, "DOMUS DVD-ROM");
        PutWord(id, 48, 0x0001);
        PutDmaWords(id, 0x0A00, 0x0002); // LBA, IORDY; words 64-70 are valid
        PutWord(id, 64, 0x0003);
        PutWord(id, 65, 0x00B4);
        PutWord(id, 66, 0x00B4);
        PutWord(id, 67, 0x012C);
        PutWord(id, 68, 0x00B4);
        PutWord(id, 71, 30);
        PutWord(id, 72, 30);
        PutWord(id, 80, 0x001E); // ATAPI-1 to ATAPI-4
        PutWord(id, 82, 0x0010); // PACKET feature set
        PutWord(id, 83, 0x4000);
        PutWord(id, 84, 0x4000);
        PutWord(id, 85, 0x0010);
        PutWord(id, 87, 0x4000);
        PutWord(id, 93, 0x6001);
        SealIdentify(id);
    }
}
