using Domus.Vmm.Backends.Disks;
using Domus.Vmm.Devices.Platform;
using Domus.Vmm.Devices.Storage;

namespace Domus.Vmm.Machine.Tests;

/// <summary>The NVRAM bytes SeaBIOS reads, checked through the CMOS ports as the firmware reads them.</summary>
public sealed class PcCmosTests : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("domus-cmos-").FullName;

    private static byte Read(CmosRtc cmos, byte index)
    {
        cmos.Write(0, [index]);
        var value = new byte[1];
        cmos.Read(1, value);
        return value[0];
    }

    private static CmosRtc Cmos(string bootOrder, ulong memory = 64 << 20, params AtaDevice?[] ide) =>
        PcCmos.Create(new MachineOptions(memory, Vcpus: 2), bootOrder,
            new PcPeripherals(new TextBackend(), new TextBackend(), new TextBackend(), TimeProvider.System) { IdeDrives = ide.Length == 0 ? [null, null, null, null] : ide }, UnwiredInterruptLine.Instance);

    [Theory]
    [InlineData("c", 0x02, 0x00)]
    [InlineData("d", 0x03, 0x00)]
    [InlineData("dc", 0x23, 0x00)]
    [InlineData("cdn", 0x32, 0x40)]
    [InlineData("ndca", 0x34, 0x20)]
    public void TheBootOrderIsStoredAsSeaBiosReadsIt(string order, byte flag2, byte flag1)
    {
        var cmos = Cmos(order);
        Assert.Equal(flag2, Read(cmos, 0x3D));
        Assert.Equal(flag1, Read(cmos, 0x38));
    }

    [Fact]
    public void MemorySizesAndCpuCountAreThere()
    {
        var cmos = Cmos("c", memory: 4UL << 30);
        Assert.Equal(640, Read(cmos, 0x15) | (Read(cmos, 0x16) << 8));
        Assert.Equal(0xFFFF, Read(cmos, 0x17) | (Read(cmos, 0x18) << 8));
        Assert.Equal((0xE000_0000 - 0x100_0000) >> 16, (uint)(Read(cmos, 0x34) | (Read(cmos, 0x35) << 8)));
        Assert.Equal((4UL << 30) - 0xE000_0000 >> 16, (ulong)(Read(cmos, 0x5B) | (Read(cmos, 0x5C) << 8) | (Read(cmos, 0x5D) << 16)));
        Assert.Equal(1, Read(cmos, 0x5F));
    }

    [Fact]
    public void DisksTooLargeForBiosGeometryGetLbaTranslation()
    {
        AtaDisk Disk(long size)
        {
            var path = Path.Combine(_scratch, $"{size}.img");
            using (var file = File.Create(path))
            {
                file.SetLength(size);
            }

            return new AtaDisk(RawDiskImage.Open(path, readOnly: true), "x");
        }

        var cmos = Cmos("c", 64 << 20, Disk(100 << 20), null, Disk(2L << 30), null);
        Assert.Equal(0b_01_00_00, Read(cmos, 0x39));
    }

    public void Dispose() => Directory.Delete(_scratch, recursive: true);
}
