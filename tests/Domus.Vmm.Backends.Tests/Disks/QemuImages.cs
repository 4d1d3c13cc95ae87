using System.Globalization;
using Domus.Platform;

namespace Domus.Vmm.Backends.Tests.Disks;

/// <summary>
/// qemu-img and qemu-io (Debian's qemu-utils), the reference the qcow2 tests check Qcow2DiskImage against: they make
/// images and write patterns into them, check and convert what domus-dm wrote. Tests skip without them.
/// </summary>
internal static class QemuImages
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static void Require()
    {
        if (!File.Exists("/usr/bin/qemu-img") || !File.Exists("/usr/bin/qemu-io"))
        {
            Assert.Skip("qemu-img and qemu-io are missing (Debian package qemu-utils)");
        }
    }

    /// <summary>Runs a tool and returns its exit code and output, failing the test when it does not end in time.</summary>
    public static async Task<(int ExitCode, string Output)> TryRunAsync(string program, params string[] arguments)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        return await HostCommand.RunAsync(program, arguments, timeout.Token);
    }

    public static async Task<string> RunAsync(string program, params string[] arguments)
    {
        var (exit, output) = await TryRunAsync(program, arguments);
        Assert.True(exit == 0, $"{program} {string.Join(' ', arguments)} exited with {exit}: {output}");
        return output;
    }

    public static Task CreateAsync(string path, long size, params string[] options) =>
        RunAsync("qemu-img", ["create", "-q", "-f", "qcow2", .. options.SelectMany(o => new[] { "-o", o }), path, size.ToString()]);

    /// <summary>
    /// A LUKS-encrypted qcow2 image. qemu-img times PBKDF2 to choose the key's iteration count and gives up when the
    /// thread's CPU clock did not move over its first round ("Unable to get accurate CPU usage"), which happened to
    /// 7 of 60 runs on the development VM: that one error is tried again.
    /// </summary>
    public static async Task CreateEncryptedAsync(string path, long size)
    {
        string[] arguments =
        [
            "create", "-q", "-f", "qcow2", "--object", "secret,id=key,data=secret",
            "-o", "encrypt.format=luks,encrypt.key-secret=key,encrypt.iter-time=10", path, size.ToString(CultureInfo.InvariantCulture),
        ];
        for (var attempt = 1; ; attempt++)
        {
            var (exit, output) = await TryRunAsync("qemu-img", arguments);
            if (exit == 0)
            {
                return;
            }

            Assert.True(attempt < 8 && output.Contains("Unable to get accurate CPU usage", StringComparison.Ordinal), $"qemu-img {string.Join(' ', arguments)} exited with {exit} (attempt {attempt}): {output}");
        }
    }

    /// <summary>qemu-io commands (<c>write -P 0xab 0 64k</c>) on the image, in one run.</summary>
    public static Task IoAsync(string path, params string[] commands) =>
        RunAsync("qemu-io", ["-f", "qcow2", .. commands.SelectMany(c => new[] { "-c", c }), path]);

    /// <summary>qemu-img check: no corruption and no leaked cluster.</summary>
    public static async Task AssertCleanAsync(string path)
    {
        var (exit, output) = await TryRunAsync("qemu-img", "check", "-f", "qcow2", path);
        Assert.True(exit == 0 && output.Contains("No errors were found", StringComparison.Ordinal) && !output.Contains("leaked", StringComparison.Ordinal), $"qemu-img check (exit {exit}): {output}");
    }

    /// <summary>The guest's bytes as qemu-img converts them to raw, compared with <paramref name="expected"/> by qemu-img compare too.</summary>
    public static async Task AssertContentAsync(string path, byte[] expected)
    {
        var raw = path + ".raw";
        var reference = path + ".expected";
        try
        {
            await RunAsync("qemu-img", "convert", "-f", "qcow2", "-O", "raw", path, raw);
            var converted = await File.ReadAllBytesAsync(raw);
            Assert.Equal(expected.Length, converted.Length);
            var first = converted.AsSpan().CommonPrefixLength(expected);
            Assert.True(first == expected.Length, $"qemu-img reads byte {first} as {(first < converted.Length ? converted[first] : 0):x2}, written {(first < expected.Length ? expected[first] : 0):x2}");
            await File.WriteAllBytesAsync(reference, expected);
            await RunAsync("qemu-img", "compare", "-q", "-f", "qcow2", "-F", "raw", path, reference);
        }
        finally
        {
            File.Delete(raw);
            File.Delete(reference);
        }
    }
}
