using System.IO.Compression;
using Domus.Images;
using Domus.Platform;

namespace Domus.Bench.Net;

/// <summary>
/// The guest the network benchmark boots directly: Debian's generic kernel and the demo guest's initramfs (every
/// NIC driver, DHCP at boot), followed by a second archive with iperf3 and the libraries it links, taken from this
/// host's Debian packages (the kernel unpacks concatenated archives in order).
/// </summary>
public static class IperfGuest
{
    public static async Task<(string Kernel, string Initrd)> BuildAsync(string cacheDirectory, CancellationToken cancellationToken)
    {
        var directory = Path.Combine(cacheDirectory, "iperf-guest");
        await new DemoImageBuilder(cacheDirectory, Console.Error.WriteLine, DebianPackages.GenericKernel).BuildBootFilesAsync(directory, cancellationToken);
        var initrd = Path.Combine(directory, "initrd.gz");
        await using (var file = new FileStream(initrd, FileMode.Append))
        {
            await AppendIperfAsync(file, cancellationToken);
        }

        return (Path.Combine(directory, "vmlinuz"), initrd);
    }

    private static async Task AppendIperfAsync(Stream file, CancellationToken cancellationToken)
    {
        var iperf = ProgramLocator.Find("iperf3") ?? throw new InvalidOperationException("iperf3 is not installed (apt-get install iperf3)");
        var (exitCode, ldd) = await HostCommand.RunAsync("ldd", [iperf], cancellationToken);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"ldd {iperf}: {ldd}");
        }

        // "libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x…)" and "/lib64/ld-linux-x86-64.so.2 (0x…)".
        var files = ldd.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Contains("=>", StringComparison.Ordinal) ? line.Split("=>")[1].Trim() : line)
            .Select(entry => entry.Split(' ')[0])
            .Where(path => path.StartsWith('/'))
            .Append(iperf)
            .ToList();
        await using var gzip = new GZipStream(file, CompressionLevel.Fastest, leaveOpen: true);
        var cpio = new CpioArchiveWriter(gzip);
        foreach (var directory in files.Select(f => Path.GetDirectoryName(f)!.TrimStart('/')).Distinct().SelectMany(Parents).Distinct())
        {
            cpio.AddDirectory(directory);
        }

        foreach (var path in files)
        {
            cpio.AddFile(path.TrimStart('/'), await File.ReadAllBytesAsync(path, cancellationToken), 0x1ED);
        }

        cpio.Finish();
    }

    private static IEnumerable<string> Parents(string directory)
    {
        var parts = directory.Split('/');
        for (var i = 1; i <= parts.Length; i++)
        {
            yield return string.Join('/', parts[..i]);
        }
    }
}
