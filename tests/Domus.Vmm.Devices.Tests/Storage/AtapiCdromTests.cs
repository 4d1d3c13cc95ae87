using System.Buffers.Binary;
using System.Text;
using Domus.Vmm.Backends.Disks;
using Domus.Vmm.Devices.Storage;

namespace Domus.Vmm.Devices.Tests.Storage;

public sealed class AtapiCdromTests : IDisposable
{
    private const int Blocks = 1000;
    private readonly TestImages _images = new();
    private readonly FakeInterruptLine _irq = new();
    private readonly AtapiCdrom _drive;
    private readonly IdeHost _host;

    public AtapiCdromTests()
    {
        _drive = new AtapiCdrom(RawDiskImage.Open(_images.Create(Blocks * 2048L, patternBytes: 4 << 20), readOnly: true), "DM-CD");
        _host = new IdeHost(new IdeChannel(_irq, null, _drive));
        _host.Select(1);
    }

    private (byte Key, byte Code) Sense()
    {
        _host.Packet([0x03, 0, 0, 0, 18]);
        var sense = _host.ReadPacketReply().Data;
        return (sense[2], sense[12]);
    }

    [Fact]
    public void IdentifyDeviceIsAbortedWithThePacketSignatureAndIdentifyPacketAnswers()
    {
        Assert.Equal(0, _host.Read(IdeHost.Status));
        _host.Write(IdeHost.Command, 0xEC);
        Assert.Equal(AtaStatus.Ready | AtaStatus.Error, _host.Read(IdeHost.Status));
        Assert.Equal((0x14, 0xEB), (_host.Read(IdeHost.LbaMid), _host.Read(IdeHost.LbaHigh)));
        _host.Write(IdeHost.Command, 0xA1);
        Assert.Equal(AtaStatus.Idle | AtaStatus.DataRequest, _host.Read(IdeHost.Status));
        var id = _host.ReadData(512);
        Assert.Equal(0x85C0, IdeHost.Word(id, 0));
        Assert.Equal("DOMUS DVD-ROM", IdeHost.Text(id, 27, 20));
        Assert.Equal(0, id.Aggregate(0, (sum, b) => (sum + b) & 0xFF));
    }

    [Fact]
    public void RepliesComeInBlocksNoLargerThanTheByteCountLimit()
    {
        _host.Packet([0x12, 0, 0, 0, 36], byteLimit: 16);
        var (data, blocks) = _host.ReadPacketReply();
        Assert.Equal([16, 16, 4], blocks);
        Assert.Equal(0x05, data[0]);
        Assert.Equal("DOMUS   DVD-ROM", Encoding.ASCII.GetString(data, 8, 15));
        Assert.Equal(AtaStatus.Idle, _host.Read(IdeHost.Status));
    }

    [Fact]
    public void ReadTenReturnsTheImageAndOddByteLimitsAreRoundedDown()
    {
        _host.Packet([0x28, 0, 0, 0, 0, 10, 0, 0, 3, 0], byteLimit: 4097);
        var (data, blocks) = _host.ReadPacketReply();
        Assert.Equal([4096, 2048], blocks);
        Assert.Equal(TestImages.Pattern(10 * 2048, 3 * 2048), data);
    }

    [Fact]
    public void ReadCapacityAndTheTableOfContentsDescribeOneDataTrack()
    {
        _host.Packet([0x25]);
        var capacity = _host.ReadPacketReply().Data;
        Assert.Equal(Blocks - 1, BinaryPrimitives.ReadInt32BigEndian(capacity));
        Assert.Equal(2048, BinaryPrimitives.ReadInt32BigEndian(capacity.AsSpan(4)));
        _host.Packet([0x43, 0x02, 0, 0, 0, 0, 0, 0, 100, 0]);
        var toc = _host.ReadPacketReply().Data;
        Assert.Equal(20, toc.Length);
        Assert.Equal(18, BinaryPrimitives.ReadUInt16BigEndian(toc));
        Assert.Equal((1, 1), (toc[2], toc[3]));
        Assert.Equal((0x14, 1), (toc[5], toc[6]));
        Assert.Equal([0, 0, 2, 0], toc[8..12]);
        Assert.Equal(0xAA, toc[14]);
        var frames = Blocks + 150;
        Assert.Equal([0, (byte)(frames / 4500), (byte)(frames / 75 % 60), (byte)(frames % 75)], toc[16..20]);
    }

    [Fact]
    public void ReadsBeyondTheDiscAndUnknownCommandsAreIllegalRequests()
    {
        _host.Packet([0x28, 0, 0, 0, 0x03, 0xE7, 0, 0, 2, 0]);
        Assert.Equal(AtaStatus.Ready | AtaStatus.Error, _host.Read(IdeHost.Status));
        Assert.Equal(0x50, _host.Read(IdeHost.Error));
        Assert.Equal((0x05, 0x21), Sense());
        _host.Packet([0xFF]);
        Assert.Equal(AtaStatus.Ready | AtaStatus.Error, _host.Read(IdeHost.Status));
        Assert.Equal((0x05, 0x20), Sense());
        Assert.Equal((0, 0), Sense());
    }

    [Fact]
    public void AnEmptyDriveIsNotReadyAndReportsNoMedium()
    {
        var empty = new IdeHost(new IdeChannel(_irq, new AtapiCdrom(null, "empty"), null));
        empty.Select(0);
        empty.Packet([0x00]);
        Assert.Equal(AtaStatus.Ready | AtaStatus.Error, empty.Read(IdeHost.Status));
        Assert.Equal(0x20, empty.Read(IdeHost.Error));
        empty.Packet([0x03, 0, 0, 0, 18]);
        var sense = empty.ReadPacketReply().Data;
        Assert.Equal((0x02, 0x3A), (sense[2], sense[12]));
    }

    [Fact]
    public void ALockedDiscStaysInAndAnUnlockedOneEjects()
    {
        _host.Packet([0x1E, 0, 0, 0, 1]);
        _host.Packet([0x1B, 0, 0, 0, 0x02]);
        Assert.Equal(AtaStatus.Ready | AtaStatus.Error, _host.Read(IdeHost.Status));
        Assert.Equal((0x05, 0x53), Sense());
        _host.Packet([0x1E, 0, 0, 0, 0]);
        _host.Packet([0x1B, 0, 0, 0, 0x02]);
        Assert.Equal(AtaStatus.Idle, _host.Read(IdeHost.Status));
        Assert.False(_drive.HasMedia);
        _host.Packet([0x4A, 1, 0, 0, 0x10, 0, 0, 0, 8, 0]);
        var events = _host.ReadPacketReply().Data;
        Assert.Equal((3, 0), (events[4], events[5]));
    }

    [Fact]
    public void ANewDiscIsAUnitAttentionThenAMediaEvent()
    {
        _drive.ChangeMedia(RawDiskImage.Open(_images.Create(20 * 2048), readOnly: true));
        _host.Packet([0x00]);
        Assert.Equal(AtaStatus.Ready | AtaStatus.Error, _host.Read(IdeHost.Status));
        Assert.Equal(0x60, _host.Read(IdeHost.Error));
        _host.Packet([0x00]);
        Assert.Equal(AtaStatus.Idle, _host.Read(IdeHost.Status));
        _host.Packet([0x4A, 1, 0, 0, 0x10, 0, 0, 0, 8, 0]);
        var events = _host.ReadPacketReply().Data;
        Assert.Equal((2, 2), (events[4], events[5]));
        _host.Packet([0x4A, 1, 0, 0, 0x10, 0, 0, 0, 8, 0]);
        Assert.Equal(0, _host.ReadPacketReply().Data[4]);
    }

    [Fact]
    public void ModeSenseAndGetConfigurationDescribeAReadOnlyDrive()
    {
        _host.Packet([0x5A, 0, 0x2A, 0, 0, 0, 0, 0, 64, 0]);
        var mode = _host.ReadPacketReply().Data;
        Assert.Equal(28, mode.Length);
        Assert.Equal(26, BinaryPrimitives.ReadUInt16BigEndian(mode));
        Assert.Equal((0x2A, 0x12), (mode[8], mode[9]));
        _host.Packet([0x5A, 0, 0x05, 0, 0, 0, 0, 0, 64, 0]);
        Assert.Equal((0x05, 0x24), Sense());
        _host.Packet([0x46, 0, 0, 0, 0, 0, 0, 0, 255, 0]);
        var configuration = _host.ReadPacketReply().Data;
        Assert.Equal(0x0008, BinaryPrimitives.ReadUInt16BigEndian(configuration.AsSpan(6)));
        Assert.Equal(configuration.Length - 4, BinaryPrimitives.ReadInt32BigEndian(configuration));
    }

    public void Dispose() => _images.Dispose();
}
