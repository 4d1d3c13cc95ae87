namespace Domus.Images;

/// <summary>Debian packages fetched with apt-get into a cache directory (debs/), and unpacked with dpkg-deb.</summary>
public sealed class DebianPackages(string cacheDirectory, Action<string> progress)
{
    public const string CloudKernel = "linux-image-cloud-amd64";

    /// <summary>Debian's generic kernel: every network card driver, where the cloud kernel has only virtio-net.</summary>
    public const string GenericKernel = "linux-image-amd64";

    /// <summary>The versioned package a kernel meta package depends on, e.g. linux-image-6.1.0-56-cloud-amd64.</summary>
    public static async Task<string> ResolveKernelAsync(string metaPackage, CancellationToken cancellationToken)
    {
        var output = await ImageTool.RunAsync("apt-cache", ["depends", metaPackage], null, cancellationToken);
        return output.Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.StartsWith("Depends: linux-image-", StringComparison.Ordinal))
            .Select(line => line["Depends: ".Length..])
            .FirstOrDefault()
            ?? throw new ImageBuildException($"apt-cache does not know {metaPackage}; run 'apt-get update'");
    }

    public static async Task<string> CandidateVersionAsync(string package, CancellationToken cancellationToken)
    {
        var policy = await ImageTool.RunAsync("apt-cache", ["policy", package], null, cancellationToken);
        return policy.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("Candidate:", StringComparison.Ordinal))?["Candidate:".Length..].Trim()
            ?? throw new ImageBuildException($"apt-cache has no candidate for {package}; run 'apt-get update'");
    }

    /// <summary>The .deb of the package's candidate version, downloaded unless the cache has it.</summary>
    public async Task<string> DownloadAsync(string package, CancellationToken cancellationToken)
    {
        var directory = Path.Combine(cacheDirectory, "debs");
        Directory.CreateDirectory(directory);
        var version = (await CandidateVersionAsync(package, cancellationToken)).Replace(":", "%3a", StringComparison.Ordinal);
        var existing = Directory.GetFiles(directory, $"{package}_{version}_*.deb").FirstOrDefault();
        if (existing is not null)
        {
            return existing;
        }

        progress($"downloading {package} {version}");
        await ImageTool.RunAsync("apt-get", ["download", "-q", package], directory, cancellationToken);
        return Directory.GetFiles(directory, $"{package}_*.deb").OrderByDescending(File.GetLastWriteTimeUtc).First();
    }

    public static async Task<string> ExtractAsync(string package, string directory, CancellationToken cancellationToken)
    {
        await ImageTool.RunAsync("dpkg-deb", ["-x", package, directory], null, cancellationToken);
        return directory;
    }
}
