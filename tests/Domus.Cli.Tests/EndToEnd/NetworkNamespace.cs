using System.Diagnostics;
using Domus.Platform;

namespace Domus.Cli.Tests.EndToEnd;

/// <summary>
/// A network namespace of the test's own, so that its bridges, taps, DHCP server and NAT rules never touch the
/// host's network; disposing it ends every process inside and removes it with everything in it.
/// </summary>
public sealed class NetworkNamespace : IDisposable
{
    private static int _count;

    public NetworkNamespace()
    {
        Name = $"domus-t{Environment.ProcessId}-{Interlocked.Increment(ref _count)}";
        Ip("netns", "add", Name);
        Run("ip", "link", "set", "lo", "up");
    }

    public string Name { get; }

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

    /// <summary>A program that starts domusd inside this namespace, for DOMUS_DAEMON (the CLI starts domusd on demand).</summary>
    public string DaemonLauncher(string directory)
    {
        var path = Path.Combine(directory, "domusd-in-namespace");
        File.WriteAllText(path, $"#!/bin/sh\nexec ip netns exec {Name} dotnet {EndToEndEnvironment.Daemon} \"$@\"\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

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

    private static void Ip(params string[] arguments)
    {
        var (exitCode, output) = HostCommand.RunAsync("ip", arguments, CancellationToken.None).GetAwaiter().GetResult();
        Assert.True(exitCode == 0, $"ip {string.Join(' ', arguments)}: {output}");
    }
}
