using Domus.Vmm.Backends.Disks;
using Domus.Vmm.Devices.Storage;

namespace Domus.Vmm.Devices.Tests.Storage;

public sealed class AtaDiskTests : IDisposable
{
    private const long Size = 8 << 20;
    private readonly TestImages _images = new();
    private readonly FakeInterruptLine _irq = new();
    private readonly List<IDisposable> _open = [];

    private (IdeHost Host, string Path) Disk(long size = Size, bool readOnly = false)
    {
        var path = _images.Create(size);
        var image = RawDiskImage.Open(path, readOnly);
        _open.Add(image);
        return (new IdeHost(new IdeChannel(_irq, new AtaDisk(image, "DM-0001"), null)), path);
    }

    [Fact]
    public void FirmwareFindsTheMasterAndNotTheAbsentSlave()
    {
        var (host, _) = Disk();
        host.Select(0);
        Assert.Equal(AtaStatus.Idle, host.Read(IdeHost.Status));
        host.Write(IdeHost.SectorCount, 0x55);
        host.Write(IdeHost.LbaLow, 0xAA);
        Assert.Equal((0x55, 0xAA), (host.Read(IdeHost.SectorCount), host.Read(IdeHost.LbaLow)));
        host.Write(IdeHost.Device, 0xB0);
        Assert.Equal(0xB0, host.Read(IdeHost.Device));
        Assert.Equal(0, host.Read(IdeHost.Status));
        host.Write(IdeHost.Command, 0xEC);
        Assert.Equal(0, host.Read(IdeHost.Status));
        Assert.False(_irq.Level);
    }

    [Fact]
    public void IdentifyDescribesTheDiskAndRaisesTheInterruptUntilStatusIsRead()
    {
        var (host, _) = Disk();
        host.Select(0);
        host.Write(IdeHost.Command, 0xEC);
        Assert.True(_irq.Level);
        Assert.Equal(AtaStatus.Idle | AtaStatus.DataRequest, host.AlternateStatus);
        Assert.True(_irq.Level);
        Assert.Equal(AtaStatus.Idle | AtaStatus.DataRequest, host.Read(IdeHost.Status));
        Assert.False(_irq.Level);
        var id = host.ReadData(512);
        Assert.Equal(AtaStatus.Idle, host.Read(IdeHost.Status));
        Assert.Equal(0x0040, IdeHost.Word(id, 0));
        Assert.Equal("DOMUS HARDDISK", IdeHost.Text(id, 27, 20));
        Assert.Equal("DM-0001", IdeHost.Text(id, 10, 10));
        Assert.Equal(Size / 512, IdeHost.Word(id, 60) | (IdeHost.Word(id, 61) << 16));
        Assert.Equal(Size / 512, IdeHost.Word(id, 100) | (IdeHost.Word(id, 101) << 16));
        Assert.Equal((16, 16, 63), (IdeHost.Word(id, 1), IdeHost.Word(id, 3), IdeHost.Word(id, 6)));
        Assert.Equal(0x0200, IdeHost.Word(id, 49) & 0x0200);
        Assert.Equal(0xA5, id[510]);
        Assert.Equal(0, id.Aggregate(0, (sum, b) => (sum + b) & 0xFF));
    }

    [Fact]
    public void InterruptsStayOffWhileTheHostDisablesThem()
    {
        var (host, _) = Disk();
        host.Control(0x02);
        host.Write(IdeHost.Command, 0xEC);
        Assert.False(_irq.Level);
        host.Control(0x00);
        Assert.True(_irq.Level);
    }

    [Fact]
    public void ReadSectorsDeliversEachSectorWithItsInterrupt()
    {
        var (host, _) = Disk();
        host.Command28(0x20, 100, 3);
        var data = new List<byte>();
        for (var sector = 0; sector < 3; sector++)
        {
            Assert.True(_irq.Level);
            Assert.Equal(AtaStatus.Idle | AtaStatus.DataRequest, host.Read(IdeHost.Status));
            data.AddRange(host.ReadData(512));
        }

        Assert.False(_irq.Level);
        Assert.Equal(3, _irq.RisingEdges);
        Assert.Equal(AtaStatus.Idle, host.Read(IdeHost.Status));
        Assert.Equal(TestImages.Pattern(100 * 512, 3 * 512), data.ToArray());
    }

    [Fact]
    public void ThirtyTwoBitDataAccessesReadTheSameBytes()
    {
        var image = RawDiskImage.Open(_images.Create(Size), readOnly: true);
        _open.Add(image);
        var channel = new IdeChannel(_irq, new AtaDisk(image, "x"), null);
        var data = new byte[512];
        new IdeHost(channel).Command28(0x20, 7, 1);
        for (var i = 0; i < data.Length; i += 4)
        {
            channel.Read(IdeHost.Data, data.AsSpan(i, 4));
        }

        Assert.Equal(TestImages.Pattern(7 * 512, 512), data);
    }

    [Fact]
    public void WriteSectorsStoresTheDataAndInterruptsAfterEachSector()
    {
        var (host, path) = Disk();
        var payload = Enumerable.Range(0, 1024).Select(i => (byte)(i * 7)).ToArray();
        host.Command28(0x30, 5, 2);
        Assert.False(_irq.Level);
        Assert.Equal(AtaStatus.Idle | AtaStatus.DataRequest, host.Read(IdeHost.Status));
        host.WriteData(payload.AsSpan(0, 512));
        Assert.True(_irq.Level);
        Assert.Equal(AtaStatus.Idle | AtaStatus.DataRequest, host.Read(IdeHost.Status));
        host.WriteData(payload.AsSpan(512));
        Assert.True(_irq.Level);
        Assert.Equal(AtaStatus.Idle, host.Read(IdeHost.Status));
        host.Write(IdeHost.Command, 0xE7);
        Assert.Equal(AtaStatus.Idle, host.Read(IdeHost.Status));
        _open.ForEach(o => o.Dispose());
        _open.Clear();
        using var file = File.OpenRead(path);
        var written = new byte[1024];
        file.Position = 5 * 512;
        file.ReadExactly(written);
        Assert.Equal(payload, written);
    }

    [Fact]
    public void ReadMultipleTransfersBlocksOfTheMultipleCount()
    {
        var (host, _) = Disk();
        host.Command28(0xC4, 0, 8);
        Assert.Equal(AtaStatus.Ready | AtaStatus.Error, host.Read(IdeHost.Status));
        Assert.Equal(AtaError.Abort, host.Read(IdeHost.Error));
        host.Command28(0xC6, 0, 3);
        Assert.Equal(AtaStatus.Ready | AtaStatus.Error, host.Read(IdeHost.Status));
        host.Command28(0xC6, 0, 4);
        Assert.Equal(AtaStatus.Idle, host.Read(IdeHost.Status));
        var edges = _irq.RisingEdges;
        host.Command28(0xC4, 16, 8);
        Assert.Equal(AtaStatus.Idle | AtaStatus.DataRequest, host.Read(IdeHost.Status));
        var first = host.ReadData(2048);
        Assert.Equal(AtaStatus.Idle | AtaStatus.DataRequest, host.Read(IdeHost.Status));
        var second = host.ReadData(2048);
        Assert.Equal(AtaStatus.Idle, host.Read(IdeHost.Status));
        Assert.Equal(2, _irq.RisingEdges - edges);
        Assert.Equal(TestImages.Pattern(16 * 512, 4096), first.Concat(second).ToArray());
    }

    [Fact]
    public void Lba48ReachesBeyondTheTwentyEightBitLimit()
    {
        const long lba = (1L << 28) + 5;
        var path = _images.Create((1L << 28) * 512 + (1 << 20), patternBytes: 0);
        using (var file = File.OpenWrite(path))
        {
            file.Position = lba * 512;
            file.Write(TestImages.Pattern(lba * 512, 512));
        }

        var image = RawDiskImage.Open(path, readOnly: true);
        _open.Add(image);
        var host = new IdeHost(new IdeChannel(_irq, new AtaDisk(image, "big"), null));
        host.Command48(0x24, lba, 1);
        Assert.Equal(AtaStatus.Idle | AtaStatus.DataRequest, host.Read(IdeHost.Status));
        Assert.Equal(TestImages.Pattern(lba * 512, 512), host.ReadData(512));
        host.Command48(0x27, 0, 0);
        host.Control(0x80);
        var high = (host.Read(IdeHost.LbaLow), host.Read(IdeHost.LbaMid), host.Read(IdeHost.LbaHigh));
        host.Control(0x00);
        var low = (host.Read(IdeHost.LbaLow), host.Read(IdeHost.LbaMid), host.Read(IdeHost.LbaHigh));
        var max = ((long)high.Item3 << 40) | ((long)high.Item2 << 32) | ((long)high.Item1 << 24) | ((long)low.Item3 << 16) | ((long)low.Item2 << 8) | low.Item1;
        Assert.Equal(image.Length / 512 - 1, max);
    }

    [Fact]
    public void ChsAddressesFollowTheTranslationTheHostSets()
    {
        var (host, _) = Disk();
        host.Write(IdeHost.SectorCount, 32);
        host.Write(IdeHost.Device, 0xA0 | 7);
        host.Write(IdeHost.Command, 0x91);
        Assert.Equal(AtaStatus.Idle, host.Read(IdeHost.Status));
        host.Write(IdeHost.SectorCount, 1);
        host.Write(IdeHost.LbaLow, 3);
        host.Write(IdeHost.LbaMid, 2);
        host.Write(IdeHost.LbaHigh, 0);
        host.Write(IdeHost.Device, 0xA0 | 5);
        host.Write(IdeHost.Command, 0x20);
        const long lba = ((2 * 8) + 5) * 32 + 3 - 1;
        Assert.Equal(TestImages.Pattern(lba * 512, 512), host.ReadData(512));
    }

    [Fact]
    public void AddressesBeyondTheDiskAndWritesToAReadOnlyImageFail()
    {
        var (host, _) = Disk();
        host.Command28(0x20, Size / 512 - 1, 2);
        Assert.Equal(AtaStatus.Ready | AtaStatus.Error, host.Read(IdeHost.Status));
        Assert.Equal(AtaError.IdNotFound, host.Read(IdeHost.Error));
        var (readOnly, _) = Disk(readOnly: true);
        readOnly.Command28(0x30, 0, 1);
        Assert.Equal(AtaStatus.Ready | AtaStatus.Error, readOnly.Read(IdeHost.Status));
        Assert.Equal(AtaError.Abort, readOnly.Read(IdeHost.Error));
    }

    [Fact]
    public void HostStorageFailuresAreMediaErrorsForTheGuest()
    {
        var host = new IdeHost(new IdeChannel(_irq, new AtaDisk(new FailingImage(Size), "bad"), null));
        host.Command28(0x20, 0, 1);
        Assert.Equal(AtaStatus.Ready | AtaStatus.Error, host.Read(IdeHost.Status));
        Assert.Equal(AtaError.Uncorrectable, host.Read(IdeHost.Error));
        host.Command28(0x30, 0, 1);
        host.WriteData(new byte[512]);
        Assert.Equal(AtaStatus.Ready | AtaStatus.Error, host.Read(IdeHost.Status));
        Assert.Equal(AtaError.Uncorrectable, host.Read(IdeHost.Error));
        host.Write(IdeHost.Command, 0xE7);
        Assert.Equal(AtaError.Abort, host.Read(IdeHost.Error));
    }

    [Fact]
    public void SoftwareResetHoldsTheChannelBusyThenLeavesSignatures()
    {
        var (host, _) = Disk();
        host.Command28(0x20, 0, 2);
        host.Control(0x04);
        Assert.Equal(AtaStatus.Busy, host.AlternateStatus);
        host.Write(IdeHost.Command, 0xEC);
        host.Control(0x00);
        Assert.Equal(AtaStatus.Idle, host.Read(IdeHost.Status));
        Assert.Equal((1, 1, 0, 0), (host.Read(IdeHost.SectorCount), host.Read(IdeHost.LbaLow), host.Read(IdeHost.LbaMid), host.Read(IdeHost.LbaHigh)));
        Assert.Equal(AtaError.DiagnosticPassed, host.Read(IdeHost.Error));
    }

    [Fact]
    public void UnknownCommandsAndIdentifyPacketAreAborted()
    {
        var (host, _) = Disk();
        foreach (var command in new byte[] { 0xA1, 0xA0, 0xC7, 0x00, 0xFF })
        {
            host.Write(IdeHost.Command, command);
            Assert.Equal(AtaStatus.Ready | AtaStatus.Error, host.Read(IdeHost.Status));
            Assert.Equal(AtaError.Abort, host.Read(IdeHost.Error));
        }
    }

    public void Dispose()
    {
        _open.ForEach(o => o.Dispose());
        _images.Dispose();
    }
}
