using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;
using Domus.Vmm.Boot.Acpi;
using Domus.Vmm.Devices.FwCfg;

namespace Domus.Vmm.Boot.Tests.Acpi;

public sealed class AcpiTablesTests : IDisposable
{
    private const ulong RsdpAddress = 0xE0000, TablesAddress = 0xE0040;
    private readonly string _directory = Directory.CreateTempSubdirectory("domus-acpi-").FullName;

    private static readonly AcpiPlatform Platform = new()
    {
        Vcpus = 3,
        LocalApicAddress = 0xFEE0_0000,
        IoApicAddress = 0xFEC0_0000,
        PmBase = 0x600,
        SciIrq = 9,
        ResetPort = 0xCF9,
        ResetValue = 6,
        CmosCentury = 0x32,
        SoftOffSleepType = 0,
        PciIrqs = [10, 10, 11, 11],
    };

    /// <summary>The placed tables as guest memory would hold them, keyed by address.</summary>
    private static (byte[] Rsdp, Func<ulong, byte[]> TableAt) Placed()
    {
        var (rsdp, tables) = AcpiTables.Build(Platform).Place(RsdpAddress, TablesAddress);
        byte[] TableAt(ulong address)
        {
            var offset = (int)(address - TablesAddress);
            var length = BinaryPrimitives.ReadInt32LittleEndian(tables.AsSpan(offset + 4));
            return tables.AsSpan(offset, length).ToArray();
        }

        return (rsdp, TableAt);
    }

    private static bool SumsToZero(ReadOnlySpan<byte> bytes)
    {
        byte sum = 0;
        foreach (var b in bytes)
        {
            sum += b;
        }

        return sum == 0;
    }

    [Fact]
    public void EveryTableIsReachableFromTheRsdpAndChecksummed()
    {
        var (rsdp, tableAt) = Placed();
        Assert.Equal("RSD PTR ", Encoding.ASCII.GetString(rsdp, 0, 8));
        Assert.True(SumsToZero(rsdp));
        var rsdt = tableAt(BinaryPrimitives.ReadUInt32LittleEndian(rsdp.AsSpan(16)));
        Assert.Equal("RSDT", Encoding.ASCII.GetString(rsdt, 0, 4));
        Assert.True(SumsToZero(rsdt));
        var entries = Enumerable.Range(0, (rsdt.Length - 36) / 4).Select(i => tableAt(BinaryPrimitives.ReadUInt32LittleEndian(rsdt.AsSpan(36 + (4 * i))))).ToList();
        Assert.Equal(["FACP", "APIC"], entries.Select(t => Encoding.ASCII.GetString(t, 0, 4)));
        Assert.All(entries, t => Assert.True(SumsToZero(t)));
        var fadt = entries[0];
        Assert.Equal(244, fadt.Length);
        Assert.Equal("FACS", Encoding.ASCII.GetString(tableAt(BinaryPrimitives.ReadUInt32LittleEndian(fadt.AsSpan(36))), 0, 4));
        var dsdt = tableAt(BinaryPrimitives.ReadUInt32LittleEndian(fadt.AsSpan(40)));
        Assert.Equal("DSDT", Encoding.ASCII.GetString(dsdt, 0, 4));
        Assert.True(SumsToZero(dsdt));
        Assert.Equal(9, BinaryPrimitives.ReadUInt16LittleEndian(fadt.AsSpan(46)));
        Assert.Equal(0x600u, BinaryPrimitives.ReadUInt32LittleEndian(fadt.AsSpan(56)));
        Assert.Equal(0x608u, BinaryPrimitives.ReadUInt32LittleEndian(fadt.AsSpan(76)));
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(fadt.AsSpan(112)) & 0x10); // fixed power button
    }

    [Fact]
    public void TheMadtHasALocalApicPerVcpuAndTheIoapic()
    {
        var (rsdp, tableAt) = Placed();
        var rsdt = tableAt(BinaryPrimitives.ReadUInt32LittleEndian(rsdp.AsSpan(16)));
        var madt = tableAt(BinaryPrimitives.ReadUInt32LittleEndian(rsdt.AsSpan(40)));
        var types = new List<byte>();
        for (var at = 44; at < madt.Length; at += madt[at + 1])
        {
            types.Add(madt[at]);
        }

        Assert.Equal([0, 0, 0, 1, 2, 2, 4], types);
        Assert.Equal(0xFEE0_0000u, BinaryPrimitives.ReadUInt32LittleEndian(madt.AsSpan(36)));
    }

    [Fact]
    public async Task IaslDecompilesTheDsdtWithoutComplaint()
    {
        var (rsdp, tableAt) = Placed();
        var rsdt = tableAt(BinaryPrimitives.ReadUInt32LittleEndian(rsdp.AsSpan(16)));
        var fadt = tableAt(BinaryPrimitives.ReadUInt32LittleEndian(rsdt.AsSpan(36)));
        var dsdt = Path.Combine(_directory, "dsdt.dat");
        await File.WriteAllBytesAsync(dsdt, tableAt(BinaryPrimitives.ReadUInt32LittleEndian(fadt.AsSpan(40))), TestContext.Current.CancellationToken);
        var output = await Iasl(dsdt);
        var source = await File.ReadAllTextAsync(Path.Combine(_directory, "dsdt.dsl"), TestContext.Current.CancellationToken);
        Assert.DoesNotContain("rror", output, StringComparison.Ordinal);
        Assert.Contains("Name (\\_S5, Package (0x04)", source, StringComparison.Ordinal);
        Assert.Contains("Device (PCI0)", source, StringComparison.Ordinal);
        Assert.Contains("EisaId (\"PNP0A03\")", source, StringComparison.Ordinal);

        // _PRT: every slot's four pins (31 slots), hardwired to the GSI of the PIRQ the swizzle gives them.
        Assert.Contains("Name (_PRT, Package (0x7C)", source, StringComparison.Ordinal);
        Assert.Matches(@"0x0003FFFF,\s*Zero,\s*Zero,\s*0x0B", source);
        Assert.Matches(@"0x0003FFFF,\s*One,\s*Zero,\s*0x0B", source);
        Assert.Matches(@"0x0003FFFF,\s*0x02,\s*Zero,\s*0x0A", source);
        Assert.Matches(@"0x001FFFFF,\s*0x03,\s*Zero,\s*0x0A", source);
    }

    [Fact]
    public async Task IaslAcceptsTheFadtAndMadt()
    {
        var (rsdp, tableAt) = Placed();
        var rsdt = tableAt(BinaryPrimitives.ReadUInt32LittleEndian(rsdp.AsSpan(16)));
        foreach (var (name, offset) in new[] { ("facp", 36), ("apic", 40) })
        {
            var path = Path.Combine(_directory, $"{name}.dat");
            await File.WriteAllBytesAsync(path, tableAt(BinaryPrimitives.ReadUInt32LittleEndian(rsdt.AsSpan(offset))), TestContext.Current.CancellationToken);
            var output = await Iasl(path);
            Assert.DoesNotContain("rror", output, StringComparison.Ordinal);
            var source = await File.ReadAllTextAsync(Path.Combine(_directory, $"{name}.dsl"), TestContext.Current.CancellationToken);
            Assert.DoesNotContain("Invalid", source, StringComparison.Ordinal);
        }
    }

    /// <summary>
    /// SeaBIOS' side of etc/table-loader, played through the fw_cfg ports: allocate the two files at the addresses
    /// used for direct boot, add pointers, compute checksums. The result must equal what <see cref="AcpiTableSet.Place"/> builds.
    /// </summary>
    [Fact]
    public void TheFirmwareLoaderScriptBuildsTheSameTables()
    {
        var set = AcpiTables.Build(Platform);
        var fwCfg = new FwCfgDevice();
        set.Publish(fwCfg);
        var files = ReadFiles(fwCfg);
        var bases = new Dictionary<string, ulong> { [AcpiTableSet.RsdpFile] = RsdpAddress, [AcpiTableSet.TablesFile] = TablesAddress };
        var script = files[AcpiTableSet.LoaderFile];
        string Name(int at) => Encoding.ASCII.GetString(script, at, 56).TrimEnd('\0');
        for (var at = 0; at < script.Length; at += 128)
        {
            switch (BinaryPrimitives.ReadUInt32LittleEndian(script.AsSpan(at)))
            {
                case 1:
                    Assert.True(bases.ContainsKey(Name(at + 4)));
                    break;
                case 2:
                    var destination = files[Name(at + 4)];
                    var offset = BinaryPrimitives.ReadInt32LittleEndian(script.AsSpan(at + 116));
                    Assert.Equal(4, script[at + 120]);
                    var value = BinaryPrimitives.ReadUInt32LittleEndian(destination.AsSpan(offset));
                    BinaryPrimitives.WriteUInt32LittleEndian(destination.AsSpan(offset), (uint)(value + bases[Name(at + 60)]));
                    break;
                case 3:
                    var file = files[Name(at + 4)];
                    var checksum = BinaryPrimitives.ReadInt32LittleEndian(script.AsSpan(at + 60));
                    var start = BinaryPrimitives.ReadInt32LittleEndian(script.AsSpan(at + 64));
                    var length = BinaryPrimitives.ReadInt32LittleEndian(script.AsSpan(at + 68));
                    file[checksum] = 0;
                    file[checksum] = (byte)-file.AsSpan(start, length).ToArray().Aggregate(0, (sum, b) => sum + b);
                    break;
                default:
                    Assert.Fail($"unexpected loader command at {at}");
                    break;
            }
        }

        var (rsdp, tables) = set.Place(RsdpAddress, TablesAddress);
        Assert.Equal(rsdp, files[AcpiTableSet.RsdpFile]);
        Assert.Equal(tables, files[AcpiTableSet.TablesFile]);
    }

    private static Dictionary<string, byte[]> ReadFiles(FwCfgDevice fwCfg)
    {
        byte[] Item(ushort selector, int length)
        {
            fwCfg.Write(0, BitConverter.GetBytes(selector));
            var data = new byte[length];
            fwCfg.Read(1, data);
            return data;
        }

        var count = BinaryPrimitives.ReadInt32BigEndian(Item(FwCfgDevice.FileDirectory, 4));
        var directory = Item(FwCfgDevice.FileDirectory, 4 + (64 * count));
        var files = new Dictionary<string, byte[]>();
        for (var i = 0; i < count; i++)
        {
            var entry = directory.AsSpan(4 + (64 * i), 64);
            var name = Encoding.ASCII.GetString(entry[8..]).TrimEnd('\0');
            files[name] = Item(BinaryPrimitives.ReadUInt16BigEndian(entry[4..]), BinaryPrimitives.ReadInt32BigEndian(entry));
        }

        return files;
    }

    private async Task<string> Iasl(string table)
    {
        using var iasl = Process.Start(new ProcessStartInfo("iasl", ["-d", table]) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _directory })
            ?? throw new InvalidOperationException("iasl did not start");
        var output = await iasl.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken) + await iasl.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await iasl.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.True(iasl.ExitCode == 0, output);
        return output;
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
