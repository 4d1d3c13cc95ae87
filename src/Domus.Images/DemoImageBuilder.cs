using Domus.Platform;

namespace Domus.Images;

/// <summary>
/// Builds the demo disk from Debian packages only: a kernel (the cloud kernel, linux-image-cloud-amd64, or the
/// generic one, whose network drivers include the PCnet card Xen 3.0 gave its domains) and
/// busybox-static, downloaded with apt-get into the cache; a busybox initramfs; a raw disk with a DOS
/// partition table, SYSLINUX's MBR code and a FAT partition holding the kernel, the initramfs and SYSLINUX
/// (the FAT member of the syslinux/extlinux family, which installs without mounting anything).
/// The result is kept; it is rebuilt only when the packages changed or when asked.
/// </summary>
public sealed class DemoImageBuilder(string cacheDirectory, Action<string> progress, string kernelMetaPackage = DebianPackages.CloudKernel)
{
    public const long DiskBytes = 48L * 1024 * 1024;
    public const long PartitionStartSector = 2048;
    private const string BusyboxPackage = "busybox-static";
    private const string SyslinuxMbr = "/usr/lib/syslinux/mbr/mbr.bin";

    private static readonly (string Program, string Package)[] Tools =
    [
        ("apt-get", "apt"), ("apt-cache", "apt"), ("dpkg-deb", "dpkg"), ("mkfs.fat", "dosfstools"), ("mcopy", "mtools"), ("syslinux", "syslinux"),
    ];

    public async Task<string> BuildAsync(string output, bool force, CancellationToken cancellationToken)
    {
        CheckTools();
        var packages = new DebianPackages(cacheDirectory, progress);
        var kernelPackage = await DebianPackages.ResolveKernelAsync(kernelMetaPackage, cancellationToken);
        var manifest = $"{kernelPackage} {await DebianPackages.CandidateVersionAsync(kernelPackage, cancellationToken)} {BusyboxPackage} {await DebianPackages.CandidateVersionAsync(BusyboxPackage, cancellationToken)} guest {DemoGuest.Revision}";
        var manifestPath = output + ".manifest";
        if (!force && File.Exists(output) && File.Exists(manifestPath) && (await File.ReadAllTextAsync(manifestPath, cancellationToken)).Trim() == manifest)
        {
            progress($"{output} is up to date ({manifest})");
            return output;
        }

        var work = Path.Combine(cacheDirectory, "demo-build");
        if (Directory.Exists(work))
        {
            Directory.Delete(work, recursive: true);
        }

        var files = Path.Combine(work, "files");
        await BuildBootFilesAsync(files, cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(files, "syslinux.cfg"), DemoGuest.SyslinuxConfig, cancellationToken);

        progress("building the disk");
        var temporary = output + ".partial";
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
        await BuildDiskAsync(temporary, files, cancellationToken);
        File.Move(temporary, output, overwrite: true);
        await File.WriteAllTextAsync(manifestPath, manifest + "\n", cancellationToken);
        Directory.Delete(work, recursive: true);
        progress($"{output}: {new FileInfo(output).Length / (1024 * 1024)} MiB, {manifest}");
        return output;
    }

    /// <summary>
    /// The demo guest's kernel and initramfs, as <c>vmlinuz</c> and <c>initrd.gz</c> in <paramref name="directory"/>,
    /// for the disk or for booting them directly.
    /// </summary>
    public async Task BuildBootFilesAsync(string directory, CancellationToken cancellationToken)
    {
        var packages = new DebianPackages(cacheDirectory, progress);
        var unpacked = Path.Combine(directory, "packages");
        Directory.CreateDirectory(unpacked);
        var kernelPackage = await DebianPackages.ResolveKernelAsync(kernelMetaPackage, cancellationToken);
        var kernelRoot = await DebianPackages.ExtractAsync(await packages.DownloadAsync(kernelPackage, cancellationToken), Path.Combine(unpacked, "kernel"), cancellationToken);
        var busyboxRoot = await DebianPackages.ExtractAsync(await packages.DownloadAsync(BusyboxPackage, cancellationToken), Path.Combine(unpacked, "busybox"), cancellationToken);
        progress("building the initramfs");
        await GuestInitramfs.BuildAsync(Path.Combine(directory, "initrd.gz"), kernelRoot, Path.Combine(busyboxRoot, "bin", "busybox"), cancellationToken);
        File.Copy(Directory.GetFiles(Path.Combine(kernelRoot, "boot"), "vmlinuz-*").Single(), Path.Combine(directory, "vmlinuz"), overwrite: true);
        Directory.Delete(unpacked, recursive: true);
    }

    private static void CheckTools()
    {
        var missing = Tools.Where(t => ProgramLocator.Find(t.Program) is null).Select(t => t.Package).ToList();
        if (!File.Exists(SyslinuxMbr))
        {
            missing.Add("syslinux-common");
        }

        if (missing.Count > 0)
        {
            throw new ImageBuildException($"building the demo image needs the Debian packages {string.Join(", ", missing.Distinct())} (apt-get install {string.Join(' ', missing.Distinct())})");
        }
    }

    private static async Task BuildDiskAsync(string path, string files, CancellationToken cancellationToken)
    {
        var partitionSectors = (DiskBytes / MbrPartitionTable.SectorSize) - PartitionStartSector;
        await using (var disk = new FileStream(path, FileMode.Create, FileAccess.ReadWrite))
        {
            disk.SetLength(DiskBytes);
            disk.Write(await File.ReadAllBytesAsync(SyslinuxMbr, cancellationToken));
            MbrPartitionTable.WriteSinglePartition(disk, PartitionStartSector, partitionSectors, type: 0x0C);
        }

        var offset = PartitionStartSector * MbrPartitionTable.SectorSize;
        var kib = partitionSectors * MbrPartitionTable.SectorSize / 1024;
        await ImageTool.RunAsync("mkfs.fat", ["--offset", $"{PartitionStartSector}", "-n", "DOMUSDEMO", path, $"{kib}"], null, cancellationToken);
        foreach (var file in Directory.GetFiles(files))
        {
            await ImageTool.RunAsync("mcopy", ["-i", $"{path}@@{offset}", file, "::"], null, cancellationToken);
        }

        await ImageTool.RunAsync("syslinux", ["--install", "--offset", $"{offset}", path], null, cancellationToken);
    }
}
