using Domus.Images;

namespace Domus.Vmm.Machine.Tests;

/// <summary>
/// Debian's cloud kernel for the direct boot tests: its vmlinuz (bzImage) and the vmlinux extracted from it,
/// downloaded and unpacked into the test cache (DOMUS_TEST_CACHE, default /var/tmp/domus-test-cache). A host
/// without apt (a lent KVM machine) names a directory holding both in DOMUS_TEST_KERNEL_DIR.
/// </summary>
public static class TestKernel
{
    private static readonly SemaphoreSlim Gate = new(1, 1);

    public static async Task<(string Vmlinuz, string Vmlinux)> GetAsync()
    {
        if (Environment.GetEnvironmentVariable("DOMUS_TEST_KERNEL_DIR") is { Length: > 0 } directory)
        {
            return (Path.Combine(directory, "vmlinuz"), Path.Combine(directory, "vmlinux"));
        }

        var cache = Environment.GetEnvironmentVariable("DOMUS_TEST_CACHE") is { Length: > 0 } path ? path : "/var/tmp/domus-test-cache";
        await Gate.WaitAsync();
        try
        {
            return await new CloudKernel(cache, _ => { }).GetAsync(CancellationToken.None);
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>A one-file initramfs: the direct boot tests only look at where the kernel finds it.</summary>
    public static byte[] Initramfs()
    {
        using var stream = new MemoryStream();
        var cpio = new CpioArchiveWriter(stream);
        cpio.AddFile("init", "#!/bin/sh\n"u8, 0x1ED);
        cpio.Finish();
        return stream.ToArray();
    }
}
