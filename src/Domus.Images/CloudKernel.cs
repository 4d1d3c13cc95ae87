namespace Domus.Images;

/// <summary>
/// Debian's cloud kernel, unpacked into the cache once per version: its bzImage (vmlinuz) and the ELF vmlinux
/// inside it, for booting directly and through the PVH entry.
/// </summary>
public sealed class CloudKernel(string cacheDirectory, Action<string> progress)
{
    public async Task<(string Vmlinuz, string Vmlinux)> GetAsync(CancellationToken cancellationToken)
    {
        var package = await DebianPackages.ResolveKernelAsync(DebianPackages.CloudKernel, cancellationToken);
        var version = await DebianPackages.CandidateVersionAsync(package, cancellationToken);
        var directory = Path.Combine(cacheDirectory, "kernel", $"{package}_{version}");
        var vmlinuz = Path.Combine(directory, "vmlinuz");
        var vmlinux = Path.Combine(directory, "vmlinux");
        if (File.Exists(vmlinuz) && File.Exists(vmlinux))
        {
            return (vmlinuz, vmlinux);
        }

        Directory.CreateDirectory(directory);
        var deb = await new DebianPackages(cacheDirectory, progress).DownloadAsync(package, cancellationToken);
        var unpacked = Path.Combine(directory, "package");
        if (Directory.Exists(unpacked))
        {
            Directory.Delete(unpacked, recursive: true);
        }

        await DebianPackages.ExtractAsync(deb, unpacked, cancellationToken);
        File.Copy(Directory.GetFiles(Path.Combine(unpacked, "boot"), "vmlinuz-*").Single(), vmlinuz, overwrite: true);
        Directory.Delete(unpacked, recursive: true);
        progress($"extracting vmlinux from {package}");
        await VmlinuxExtractor.ExtractAsync(vmlinuz, vmlinux, cancellationToken);
        return (vmlinuz, vmlinux);
    }
}
