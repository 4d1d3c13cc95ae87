using System.IO.Compression;
using System.Text;

namespace Domus.Images;

/// <summary>
/// The demo guest's initramfs: busybox with a link per applet, the guest's own files (<see cref="DemoGuest"/>)
/// and the kernel modules it loads — those it always needs, and the network card drivers the kernel package has —
/// with their dependencies, in the order <c>lib/modules/load-order</c> gives.
/// </summary>
public static class GuestInitramfs
{
    public static async Task BuildAsync(string path, string kernelRoot, string busybox, CancellationToken cancellationToken)
    {
        var applets = (await ImageTool.RunAsync(busybox, ["--list"], null, cancellationToken))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(a => a != "busybox");
        var kernelModules = new KernelModules(kernelRoot);
        var modules = kernelModules.InLoadOrder([.. DemoGuest.Modules, .. DemoGuest.NetworkModules.Where(kernelModules.Has)]);

        await using var file = File.Create(path);
        await using var gzip = new GZipStream(file, CompressionLevel.Optimal);
        var cpio = new CpioArchiveWriter(gzip);
        foreach (var directory in new[] { "bin", "dev", "etc", "lib", "lib/modules", "proc", "root", "sys", "tmp" })
        {
            cpio.AddDirectory(directory);
        }

        foreach (var (name, content, executable) in DemoGuest.Files)
        {
            cpio.AddFile(name, Encoding.UTF8.GetBytes(content), executable ? 0x1ED : 0x1A4);
        }

        cpio.AddFile("bin/busybox", await File.ReadAllBytesAsync(busybox, cancellationToken), 0x1ED);
        foreach (var applet in applets)
        {
            cpio.AddSymlink($"bin/{applet}", "busybox");
        }

        foreach (var (name, source) in modules)
        {
            cpio.AddFile($"lib/modules/{name}.ko", await File.ReadAllBytesAsync(source, cancellationToken));
        }

        cpio.AddFile("lib/modules/load-order", Encoding.UTF8.GetBytes(string.Join('\n', modules.Select(m => m.Name)) + "\n"));
        cpio.Finish();
    }
}
