using Domus.Platform;

namespace Domus.Images.Tests;

/// <summary>The partition table writer, checked by sfdisk.</summary>
public sealed class MbrPartitionTableTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("domus-mbr-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public async Task SfdiskSeesOneBootableFatPartition()
    {
        if (ProgramLocator.Find("sfdisk") is null)
        {
            Assert.Skip("sfdisk is not installed (util-linux's fdisk package)");
        }

        var disk = Path.Combine(_directory.FullName, "disk.img");
        await using (var file = new FileStream(disk, FileMode.Create, FileAccess.ReadWrite))
        {
            file.SetLength(48 * 1024 * 1024);
            MbrPartitionTable.WriteSinglePartition(file, 2048, (48 * 2048) - 2048, 0x0C);
        }

        var (exit, dump) = await HostCommand.RunAsync("sfdisk", ["--dump", disk], TestContext.Current.CancellationToken);
        Assert.True(exit == 0, dump);
        Assert.Contains("label: dos", dump, StringComparison.Ordinal);
        Assert.Contains($"{disk}1 : start=        2048, size=       96256, type=c, bootable", dump, StringComparison.Ordinal);
    }
}
