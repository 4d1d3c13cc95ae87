using System.Diagnostics;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Domus.Platform;

namespace Domus.Tests.Networking;

/// <summary>
/// A network namespace of the test's own, so that its bridges, taps, DHCP server and NAT rules never touch the
/// host's network; disposing it ends every process inside and removes it with everything in it. Tests that need
/// one skip (with the reason) where the machine cannot make one.
/// </summary>
public sealed partial class NetworkNamespace : IDisposable
{
    private static int _count;

    public NetworkNamespace()
    {
        Name = $"domus-t{Environment.ProcessId}-{Interlocked.Increment(ref _count)}";
        Ip("netns", "add", Name);
        Run("ip", "link", "set", "lo", "up");
    }

    public string Name { get; }

    /// <summary>Skips the calling test unless this machine lets it make namespaces, bridges and taps.</summary>
    public static void Require()
    {
        if (Environment.UserName != "root" || !File.Exists("/dev/net/tun") || ProgramLocator.Find("ip") is null)
        {
            Assert.Skip("network tests need root, /dev/net/tun and iproute2 (ip) to make a network namespace with a bridge and taps");
        }
    }

    /// <summary>Runs <paramref name="action"/> on a thread that has entered this namespace (taps opened there belong to it).</summary>
    public T Inside<T>(Func<T> action)
    {
        T? result = default;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                using var handle = File.OpenHandle($"/run/netns/{Name}");
                if (SetNamespace(handle, NewNetworkNamespace) != 0)
                {
                    throw new IOException($"setns({Name}) failed: errno {Marshal.GetLastPInvokeError()}");
                }

                result = action();
            }
            catch (Exception e)
            {
                failure = e;
            }
        });
        thread.Start();
        thread.Join();
        return failure is null ? result! : throw new InvalidOperationException($"in namespace {Name}: {failure.Message}", failure);
    }

    /// <summary>Runs a program inside the namespace; a failure fails the test with what it printed.</summary>
    public string Run(params string[] command)
    {
        var (exitCode, output) = TryRun(command);
        Assert.True(exitCode == 0, $"{string.Join(' ', command)} in {Name}: {output}");
        return output;
    }

    public (int ExitCode, string Output) TryRun(params string[] command) =>
        HostCommand.RunAsync("ip", ["netns", "exec", Name, .. command], CancellationToken.None).GetAwaiter().GetResult();

    public bool HasInterface(string name) => TryRun("ip", "link", "show", "dev", name).ExitCode == 0;

    /// <summary>A second namespace joined to this one by a veth pair: a stand-in for the network beyond the host's uplink.</summary>
    public NetworkNamespace LinkTo(string localAddress, string remoteAddress)
    {
        var remote = new NetworkNamespace();
        Ip("link", "add", "uplink", "netns", Name, "type", "veth", "peer", "name", "outside", "netns", remote.Name);
        Run("ip", "addr", "add", localAddress, "dev", "uplink");
        Run("ip", "link", "set", "uplink", "up");
        remote.Run("ip", "addr", "add", remoteAddress, "dev", "outside");
        remote.Run("ip", "link", "set", "outside", "up");
        return remote;
    }

    public void Dispose()
    {
        var (_, pids) = HostCommand.RunAsync("ip", ["netns", "pids", Name], CancellationToken.None).GetAwaiter().GetResult();
        foreach (var pid in pids.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse))
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                process.Kill();
                process.WaitForExit(5000);
            }
            catch (ArgumentException)
            {
                // Already gone.
            }
        }

        Ip("netns", "del", Name);
    }

    private const int NewNetworkNamespace = 0x40000000;

    [LibraryImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static partial int SetNamespace(SafeFileHandle handle, int type);

    private static void Ip(params string[] arguments)
    {
        var (exitCode, output) = HostCommand.RunAsync("ip", arguments, CancellationToken.None).GetAwaiter().GetResult();
        Assert.True(exitCode == 0, $"ip {string.Join(' ', arguments)}: {output}");
    }
}
