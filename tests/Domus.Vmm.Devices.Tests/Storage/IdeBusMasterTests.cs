using System.Buffers.Binary;
using Domus.Vmm.Backends.Disks;
using Domus.Vmm.Devices.Bus;
using Domus.Vmm.Devices.Pci;
using Domus.Vmm.Devices.Storage;
using Domus.Vmm.Memory;

namespace Domus.Vmm.Devices.Tests.Storage;

/// <summary>
/// Bus-master IDE DMA as Linux' ata_piix drives it, through the PIIX IDE function's configuration space, its BAR 4
/// registers on the port bus and the channels' task files: PRD tables in guest RAM, both orders of command and
/// start, the interrupt and status handshake, and every way a guest can get DMA wrong without hurting the VMM.
/// </summary>
public sealed class IdeBusMasterTests : IDisposable
{
    private const int Bar4 = 0x20;
    private const ushort BusMasterPort = 0xC040, BmCommand = 0, BmStatus = 2, BmTable = 4;
    private const byte Start = 0x01, ToMemory = 0x08, Active = 0x01, DmaError = 0x02, DmaInterrupt = 0x04;
    private const byte IoSpace = 0x01, BusMastering = 0x04;
    private const uint Table = 0x1000;
    private const byte Guard = 0xEE;
    private const long DiskSize = 8 << 20;
    private readonly TestImages _images = new();
    private readonly GuestMemory _memory = new();
    private readonly AddressBus<IPortIoDevice> _ports = new();
    private readonly FakeInterruptLine _primaryIrq = new(), _secondaryIrq = new();
    private readonly List<IDisposable> _open = [];

    public IdeBusMasterTests()
    {
        _memory.Add(0, 1 << 20);
        _memory.GetSpan(0, 1 << 20).Fill(Guard);
    }

    public void Dispose()
    {
        _open.ForEach(o => o.Dispose());
        _memory.Dispose();
        _images.Dispose();
    }

    /// <summary>A PIIX IDE function with <paramref name="primary"/> on the primary channel and <paramref name="secondary"/> on the secondary, its BAR 4 placed and decoded.</summary>
    private (IdeHost Primary, IdeHost Secondary, PiixIdeFunction Function) Controller(AtaDevice? primary, AtaDevice? secondary = null, byte command = IoSpace | BusMastering)
    {
        var primaryChannel = new IdeChannel(_primaryIrq, primary, null);
        var secondaryChannel = new IdeChannel(_secondaryIrq, secondary, null);
        var function = new PiixIdeFunction(new IdeBusMaster(_memory, primaryChannel, secondaryChannel), _ports);
        WriteDword(function, Bar4, BusMasterPort);
        function.WriteConfig(PciConfigSpace.Command, [command, 0]);
        return (new IdeHost(primaryChannel), new IdeHost(secondaryChannel), function);
    }

    private AtaDisk Disk(string path, bool readOnly = false)
    {
        var image = RawDiskImage.Open(path, readOnly);
        _open.Add(image);
        return new AtaDisk(image, "DM-DMA");
    }

    private IdeHost PrimaryDisk(long size = DiskSize) => Controller(Disk(_images.Create(size))).Primary;

    private static uint Dword(IPciFunction function, int offset)
    {
        var data = new byte[4];
        function.ReadConfig(offset, data);
        return BinaryPrimitives.ReadUInt32LittleEndian(data);
    }

    private static void WriteDword(IPciFunction function, int offset, uint value)
    {
        var data = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(data, value);
        function.WriteConfig(offset, data);
    }

    private IPortIoDevice? DeviceAt(ulong port) => _ports.TryResolve(port, 1, out var device, out _) ? device : null;

    private byte BmRead(int channel, ushort register)
    {
        Assert.True(_ports.TryResolve(BusMasterPort + (8u * (uint)channel) + register, 1, out var device, out var offset));
        return device.ReadByte((ushort)offset);
    }

    private void BmWrite(int channel, ushort register, byte value)
    {
        Assert.True(_ports.TryResolve(BusMasterPort + (8u * (uint)channel) + register, 1, out var device, out var offset));
        device.WriteByte((ushort)offset, value);
    }

    /// <summary>Puts a PRD table at <paramref name="table"/> and its address in the channel's register, with a dword write as Linux does.</summary>
    private void SetupTable(int channel, params (uint Address, int Bytes)[] regions) => SetupTable(channel, Table, regions);

    private void SetupTable(int channel, uint table, params (uint Address, int Bytes)[] regions)
    {
        var entry = new byte[8];
        for (var i = 0; i < regions.Length; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(entry, regions[i].Address);
            BinaryPrimitives.WriteUInt32LittleEndian(entry.AsSpan(4), (uint)(regions[i].Bytes & 0xFFFF) | (i == regions.Length - 1 ? 0x8000_0000u : 0));
            if (_memory.IsRam(table + (8u * (uint)i), 8))
            {
                _memory.Write(table + (8u * (uint)i), entry);
            }
        }

        var address = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(address, table);
        Assert.True(_ports.TryResolve(BusMasterPort + (8u * (uint)channel) + BmTable, 4, out var device, out var offset));
        device.Write((ushort)offset, address);
    }

    private byte[] Gather(params (uint Address, int Bytes)[] regions) =>
        [.. regions.SelectMany(r => _memory.GetSpan(r.Address, r.Bytes).ToArray())];

    /// <summary>What the image file holds, read once the disks are closed (an open image is locked).</summary>
    private byte[] ImageBytes(string path, long offset, int length)
    {
        _open.ForEach(o => o.Dispose());
        _open.Clear();
        using var file = File.OpenRead(path);
        var bytes = new byte[length];
        file.Position = offset;
        file.ReadExactly(bytes);
        return bytes;
    }

    [Fact]
    public void Bar4IsSizedPlacedAndDecodedOnlyWithIoSpaceOn()
    {
        var (_, _, function) = Controller(null, command: 0);
        Assert.Equal(0x0101_8000u, Dword(function, 8)); // mass storage, IDE, bus-master capable (programming interface bit 7)
        Assert.Equal(0u, Dword(function, 0x10)); // legacy mode: no BARs for the channels
        WriteDword(function, Bar4, 0xFFFF_FFFF);
        Assert.Equal(0xFFFF_FFF1u, Dword(function, Bar4));
        WriteDword(function, Bar4, 0xC040);
        Assert.Equal(0xC041u, Dword(function, Bar4));
        Assert.Null(DeviceAt(0xC040));

        function.WriteConfig(PciConfigSpace.Command, [IoSpace, 0]);
        var busMaster = DeviceAt(0xC040);
        Assert.IsType<IdeBusMaster>(busMaster);
        Assert.Same(busMaster, DeviceAt(0xC04F));
        Assert.Null(DeviceAt(0xC050));
        Assert.Null(DeviceAt(0xC03F));

        WriteDword(function, Bar4, 0xD000);
        Assert.Null(DeviceAt(0xC040));
        Assert.Same(busMaster, DeviceAt(0xD008));
        function.WriteConfig(PciConfigSpace.Command, [0, 0]);
        Assert.Null(DeviceAt(0xD000));
    }

    [Fact]
    public void TheRegistersKeepWhatTheHostMayWriteAndNothingElse()
    {
        Controller(null);
        SetupTable(1, 0x0012_3457); // bits 1-0 of the table address are always zero
        Assert.Equal([0x54, 0x34, 0x12, 0x00], Enumerable.Range(0, 4).Select(i => BmRead(1, (ushort)(BmTable + i))));
        BmWrite(1, BmCommand, 0xFF & ~Start);
        Assert.Equal(ToMemory, BmRead(1, BmCommand));
        BmWrite(1, BmStatus, 0xFF);
        Assert.Equal(0x60, BmRead(1, BmStatus)); // drive 0 and 1 DMA capable kept; nothing active, no error, no interrupt
        Assert.Equal(0, BmRead(0, BmStatus)); // the primary channel's registers are its own
        Assert.Equal(0, BmRead(0, BmTable));
    }

    [Fact]
    public void ReadDmaScattersSectorsOverAThreeEntryTableExactly()
    {
        var host = PrimaryDisk();
        (uint, int)[] regions = [(0x10000, 600), (0x30002, 1000), (0x5F000, 960)];
        SetupTable(0, regions);
        BmWrite(0, BmCommand, ToMemory);
        host.Command28(0xC8, 100, 5);
        Assert.Equal(AtaStatus.Idle | AtaStatus.DataRequest, host.AlternateStatus);
        Assert.All(Gather(regions), b => Assert.Equal(Guard, b)); // nothing moves before the host starts the engine

        BmWrite(0, BmCommand, ToMemory | Start);
        Assert.Equal(TestImages.Pattern(100 * 512, 5 * 512), Gather(regions));
        Assert.Equal(Guard, _memory.Read<byte>(0x10000 + 600));
        Assert.Equal(Guard, _memory.Read<byte>(0x30002 - 1));
        Assert.Equal(Guard, _memory.Read<byte>(0x30002 + 1000));
        Assert.Equal(Guard, _memory.Read<byte>(0x5F000 + 960));
        Assert.Equal(AtaStatus.Idle, host.AlternateStatus);
        Assert.Equal(DmaInterrupt, BmRead(0, BmStatus));
    }

    [Fact]
    public void TheInterruptAndStatusSequenceIsTheOneLinuxExpects()
    {
        var host = PrimaryDisk();
        SetupTable(0, (0x20000, 2048));
        BmWrite(0, BmStatus, DmaInterrupt | DmaError); // ata_bmdma_setup leaves the status clean
        BmWrite(0, BmCommand, ToMemory);
        host.Command28(0xC8, 8, 4);
        Assert.False(_primaryIrq.Level);
        Assert.Equal(0, BmRead(0, BmStatus) & (Active | DmaInterrupt));

        BmWrite(0, BmCommand, ToMemory | Start); // ata_bmdma_start
        Assert.True(_primaryIrq.Level);
        Assert.Equal(1, _primaryIrq.RisingEdges);
        Assert.Equal(DmaInterrupt, BmRead(0, BmStatus)); // interrupt, not active (the table is used up), no error
        Assert.Equal(0, _secondaryIrq.RisingEdges);

        BmWrite(0, BmCommand, ToMemory); // ata_bmdma_stop
        Assert.Equal(AtaStatus.Idle, host.Read(IdeHost.Status)); // reading status acknowledges the device
        Assert.False(_primaryIrq.Level);
        Assert.Equal(DmaInterrupt, BmRead(0, BmStatus)); // the bus master's bit waits for the host to clear it
        BmWrite(0, BmStatus, DmaInterrupt); // ata_bmdma_irq_clear writes the bits back
        Assert.Equal(0, BmRead(0, BmStatus));
        Assert.Equal(1, _primaryIrq.RisingEdges);
        Assert.Equal(TestImages.Pattern(8 * 512, 2048), Gather((0x20000, 2048)));
    }

    [Fact]
    public void WriteDmaStartedBeforeTheCommandWritesTheImage()
    {
        var path = _images.Create(DiskSize);
        var host = Controller(Disk(path)).Primary;
        var payload = TestImages.Pattern(0x7777, 3 * 512);
        _memory.Write(0x40000, payload.AsSpan(0, 1024));
        _memory.Write(0x48000, payload.AsSpan(1024));
        SetupTable(0, (0x40000, 1024), (0x48000, 512));
        BmWrite(0, BmCommand, Start); // from memory to the device, started first as some drivers do
        Assert.Equal(Active, BmRead(0, BmStatus));

        host.Command28(0xCA, 7, 3);
        Assert.Equal(AtaStatus.Idle, host.Read(IdeHost.Status));
        Assert.Equal(DmaInterrupt, BmRead(0, BmStatus));
        var around = ImageBytes(path, 6 * 512, 5 * 512);
        Assert.Equal(payload, around[512..^512]);
        Assert.Equal(TestImages.Pattern(6 * 512, 512), around[..512]);
        Assert.Equal(TestImages.Pattern(10 * 512, 512), around[^512..]);
    }

    [Fact]
    public void ExtCommandsMoveDataBeyondTheTwentyEightBitLimitWithSixtyFourKibRegions()
    {
        const long lba = (1L << 28) + 3;
        const int sectors = 130; // 65 KiB: one region of 64 KiB (a byte count of 0) and one of 1 KiB
        var path = _images.Create((1L << 28) * 512 + (1 << 20), patternBytes: 0);
        var host = Controller(Disk(path)).Primary;
        var payload = TestImages.Pattern(0x1234, sectors * 512);
        _memory.Write(0x10000, payload.AsSpan(0, 0x10000));
        _memory.Write(0x30000, payload.AsSpan(0x10000));

        SetupTable(0, (0x10000, 0x10000), (0x30000, 1024));
        host.Command48(0x35, lba, sectors);
        BmWrite(0, BmCommand, Start);
        Assert.Equal(AtaStatus.Idle, host.Read(IdeHost.Status));
        BmWrite(0, BmCommand, 0);
        BmWrite(0, BmStatus, DmaInterrupt);

        SetupTable(0, (0x50000, 0x10000), (0x70000, 1024));
        host.Command48(0x25, lba, sectors);
        BmWrite(0, BmCommand, ToMemory | Start);
        Assert.Equal(AtaStatus.Idle, host.Read(IdeHost.Status));
        Assert.Equal(DmaInterrupt, BmRead(0, BmStatus));
        Assert.Equal(payload, Gather((0x50000, 0x10000), (0x70000, 1024)));
        Assert.Equal(payload, ImageBytes(path, lba * 512, sectors * 512));
    }

    [Fact]
    public void AtapiReadTenMovesBlocksByDmaOnTheSecondaryChannel()
    {
        var image = RawDiskImage.Open(_images.Create(64 * 2048L, patternBytes: 1 << 20), readOnly: true);
        _open.Add(image);
        var cd = new AtapiCdrom(image, "DM-CD");
        var host = Controller(null, cd).Secondary;
        SetupTable(1, (0x10000, 4096), (0x20000, 2048));
        BmWrite(1, BmCommand, ToMemory);
        host.Write(IdeHost.Features, 0x01); // DMA
        host.Write(IdeHost.Command, 0xA0);
        Assert.Equal(AtaStatus.DataRequest, host.AlternateStatus & (AtaStatus.DataRequest | AtaStatus.Busy));
        host.WriteData([0x28, 0, 0, 0, 0, 2, 0, 0, 3, 0, 0, 0]); // READ(10) of blocks 2-4
        Assert.All(Gather((0x10000, 4096)), b => Assert.Equal(Guard, b));

        BmWrite(1, BmCommand, ToMemory | Start); // Linux starts the engine after the packet
        Assert.True(_secondaryIrq.Level);
        Assert.Equal(AtaStatus.Idle, host.Read(IdeHost.Status));
        Assert.Equal(3, host.Read(IdeHost.SectorCount) & 3); // command complete, to the host
        Assert.Equal(DmaInterrupt, BmRead(1, BmStatus));
        Assert.Equal(TestImages.Pattern(2 * 2048, 3 * 2048), Gather((0x10000, 4096), (0x20000, 2048)));
        Assert.Equal(0, _primaryIrq.RisingEdges);
    }

    [Fact]
    public void WithoutBusMasteringTheEngineWaitsAndMovesNothing()
    {
        var (host, _, function) = Controller(Disk(_images.Create(DiskSize)), command: IoSpace);
        SetupTable(0, (0x20000, 1024));
        BmWrite(0, BmCommand, ToMemory | Start);
        host.Command28(0xC8, 0, 2);
        Assert.Equal(Active, BmRead(0, BmStatus));
        Assert.Equal(AtaStatus.Idle | AtaStatus.DataRequest, host.AlternateStatus);
        Assert.False(_primaryIrq.Level);
        Assert.All(Gather((0x20000, 1024)), b => Assert.Equal(Guard, b));

        function.WriteConfig(PciConfigSpace.Command, [IoSpace | BusMastering, 0]);
        Assert.Equal(DmaInterrupt, BmRead(0, BmStatus));
        Assert.Equal(TestImages.Pattern(0, 1024), Gather((0x20000, 1024)));
    }

    [Fact]
    public void StoppingTheEngineHaltsItAndAStartBeginsAtTheTopOfTheTable()
    {
        var (host, _, function) = Controller(Disk(_images.Create(DiskSize)), command: IoSpace);
        SetupTable(0, (0x20000, 1024));
        host.Command28(0xC8, 4, 2);
        BmWrite(0, BmCommand, ToMemory | Start);
        Assert.Equal(Active, BmRead(0, BmStatus));
        BmWrite(0, BmCommand, ToMemory); // stopped before the engine could move anything
        Assert.Equal(0, BmRead(0, BmStatus));

        function.WriteConfig(PciConfigSpace.Command, [IoSpace | BusMastering, 0]);
        Assert.All(Gather((0x20000, 1024)), b => Assert.Equal(Guard, b)); // a stopped engine stays stopped
        Assert.Equal(AtaStatus.Idle | AtaStatus.DataRequest, host.AlternateStatus);

        SetupTable(0, 0x2000, (0x30000, 1024));
        BmWrite(0, BmCommand, ToMemory | Start);
        Assert.Equal(TestImages.Pattern(4 * 512, 1024), Gather((0x30000, 1024)));
        Assert.All(Gather((0x20000, 1024)), b => Assert.Equal(Guard, b));
        Assert.Equal(AtaStatus.Idle, host.AlternateStatus);
    }

    [Fact]
    public void ATableShorterThanTheTransferSetsTheErrorBitAndFailsTheCommand()
    {
        var host = PrimaryDisk();
        SetupTable(0, (0x20000, 512), (0x28000, 512));
        BmWrite(0, BmCommand, ToMemory);
        host.Command28(0xC8, 0, 4);
        BmWrite(0, BmCommand, ToMemory | Start);
        Assert.Equal(DmaError | DmaInterrupt, BmRead(0, BmStatus));
        Assert.True(_primaryIrq.Level);
        Assert.Equal(AtaStatus.Ready | AtaStatus.Error, host.Read(IdeHost.Status));
        Assert.Equal(AtaError.Abort, host.Read(IdeHost.Error));
        Assert.Equal(TestImages.Pattern(0, 1024), Gather((0x20000, 512), (0x28000, 512))); // what the table held did move
    }

    [Theory]
    [InlineData(Table, 0xF000_0000u)] // a region where there is no memory
    [InlineData(Table, 0x000F_FF00u)] // a region running off the end of RAM
    [InlineData(0xFFFF_0000u, 0x2_0000u)] // the table itself where there is no memory
    public void DmaOutsideGuestRamFailsTheCommandAndNeverThrows(uint table, uint region)
    {
        var host = PrimaryDisk();
        SetupTable(0, table, (region, 1024));
        BmWrite(0, BmCommand, ToMemory);
        host.Command28(0xC8, 0, 2);
        BmWrite(0, BmCommand, ToMemory | Start);
        Assert.Equal(DmaError | DmaInterrupt, BmRead(0, BmStatus));
        Assert.Equal(AtaStatus.Ready | AtaStatus.Error, host.Read(IdeHost.Status));
        Assert.Equal(1, _primaryIrq.RisingEdges);

        BmWrite(0, BmCommand, 0);
        BmWrite(0, BmStatus, DmaError | DmaInterrupt);
        SetupTable(0, (0x20000, 1024)); // the channel works on afterwards
        BmWrite(0, BmCommand, ToMemory | Start);
        host.Command28(0xC8, 0, 2);
        Assert.Equal(DmaInterrupt, BmRead(0, BmStatus));
        Assert.Equal(TestImages.Pattern(0, 1024), Gather((0x20000, 1024)));
    }

    [Fact]
    public void AnEngineRunningTheWrongWayFailsTheCommand()
    {
        var path = _images.Create(DiskSize);
        var host = Controller(Disk(path)).Primary;
        SetupTable(0, (0x20000, 512));
        BmWrite(0, BmCommand, ToMemory | Start);
        host.Command28(0xCA, 0, 1); // a write, while the engine was told to write memory
        Assert.Equal(DmaError | DmaInterrupt, BmRead(0, BmStatus));
        Assert.Equal(AtaStatus.Ready | AtaStatus.Error, host.Read(IdeHost.Status));
        Assert.Equal(TestImages.Pattern(0, 512), ImageBytes(path, 0, 512));
    }

    [Fact]
    public void AStorageFailureDuringDmaReachesTheGuestAsAnUncorrectableError()
    {
        var host = Controller(new AtaDisk(new FailingImage(DiskSize), "broken")).Primary;
        SetupTable(0, (0x20000, 1024));
        BmWrite(0, BmCommand, ToMemory | Start);
        host.Command28(0xC8, 0, 2);
        Assert.Equal(AtaStatus.Ready | AtaStatus.Error, host.Read(IdeHost.Status));
        Assert.Equal(AtaError.Uncorrectable, host.Read(IdeHost.Error));
        Assert.Equal(DmaInterrupt, BmRead(0, BmStatus) & (DmaInterrupt | DmaError));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void IdentifyReportsTheDmaModesAndTheOneSetFeaturesSelected(bool packetDevice)
    {
        AtaDevice device = packetDevice ? new AtapiCdrom(null, "DM-CD") : Disk(_images.Create(DiskSize));
        var host = new IdeHost(new IdeChannel(_primaryIrq, device, null));
        (int Capabilities, int Validity, int Word63, int Word88) Identify()
        {
            host.Write(IdeHost.Command, packetDevice ? (byte)0xA1 : (byte)0xEC);
            var id = host.ReadData(512);
            Assert.Equal(0, id.Aggregate(0, (sum, b) => (sum + b) & 0xFF));
            return (IdeHost.Word(id, 49), IdeHost.Word(id, 53), IdeHost.Word(id, 63), IdeHost.Word(id, 88));
        }

        bool SetTransferMode(byte mode)
        {
            host.Write(IdeHost.Features, 0x03);
            host.Write(IdeHost.SectorCount, mode);
            host.Write(IdeHost.Command, 0xEF);
            return host.Read(IdeHost.Status) == AtaStatus.Idle;
        }

        var (capabilities, validity, word63, word88) = Identify();
        Assert.Equal(0x0100, capabilities & 0x0100); // DMA
        Assert.Equal(0x0004, validity & 0x0004); // word 88 is valid
        Assert.Equal((0x0007, 0x203F), (word63, word88)); // multiword 0-2 and Ultra 0-5, Ultra DMA 5 in effect from power-on

        (byte Mode, int Word63, int Word88)[] selections = [(0x22, 0x0407, 0x003F), (0x40, 0x0007, 0x013F), (0x20, 0x0107, 0x003F), (0x45, 0x0007, 0x203F), (0x0C, 0x0007, 0x003F)];
        foreach (var (mode, expected63, expected88) in selections)
        {
            Assert.True(SetTransferMode(mode));
            var identify = Identify();
            Assert.Equal((expected63, expected88), (identify.Word63, identify.Word88));
        }

        Assert.True(SetTransferMode(0x21));
        foreach (var unsupported in new byte[] { 0x23, 0x46, 0x12, 0x0D })
        {
            Assert.False(SetTransferMode(unsupported));
            Assert.Equal(AtaError.Abort, host.Read(IdeHost.Error));
            var unchanged = Identify();
            Assert.Equal((0x0207, 0x003F), (unchanged.Word63, unchanged.Word88));
        }
    }
}
