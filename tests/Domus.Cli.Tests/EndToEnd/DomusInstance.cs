using System.Diagnostics;
using System.Net;
using Domus.Api;
using Domus.Platform;
using Domus.Tests.Networking;

namespace Domus.Cli.Tests.EndToEnd;

/// <summary>
/// A Domus instance of its own for one test (DOMUS_HOME in a new directory): the domus CLI run in-process
/// against it, the real domusd as a separate process (started by the CLI on demand, as users get it), and a
/// clean-up that leaves no QEMU, tap or file behind even when the test failed.
/// </summary>
public sealed class DomusInstance : IAsyncDisposable
{
    private readonly Dictionary<string, string> _environment;

    /// <summary>
    /// An instance whose domusd runs on the host, or inside <paramref name="network"/>'s namespace, and serves its
    /// API (and the web manager) on <paramref name="listen"/> too when given; <paramref name="daemonArguments"/> are
    /// more of domusd's options.
    /// </summary>
    public DomusInstance(NetworkNamespace? network = null, IPEndPoint? listen = null, params string[] daemonArguments)
    {
        Home = Directory.CreateTempSubdirectory("domus-e2e-").FullName;
        _environment = new Dictionary<string, string>
        {
            [DomusLocations.HomeVariable] = Home,
            [DaemonConnection.DaemonVariable] = network is null && listen is null && daemonArguments.Length == 0 ? EndToEndEnvironment.Daemon : DaemonLauncher(network, listen, daemonArguments),
        };
        Locations = DomusLocations.Under(Home);
        Client = new DomusClient(Locations.DaemonSocket);
    }

    public string Home { get; }

    /// <summary>A program for DOMUS_DAEMON (the CLI starts domusd on demand) that starts domusd as this instance needs it.</summary>
    private string DaemonLauncher(NetworkNamespace? network, IPEndPoint? listen, string[] daemonArguments)
    {
        var path = Path.Combine(Home, "domusd-launcher");
        var inNamespace = network is null ? string.Empty : $"ip netns exec {network.Name} ";
        var onTcp = listen is null ? string.Empty : $" --listen {listen}";
        // The tests' own arguments: single-quoted for the launcher's shell, as none of them holds a quote.
        var more = string.Concat(daemonArguments.Select(a => a.Contains('\'', StringComparison.Ordinal) ? throw new ArgumentException($"{a}: no quotes") : $" '{a}'"));
        File.WriteAllText(path, $"#!/bin/sh\nexec {inNamespace}dotnet {EndToEndEnvironment.Daemon} \"$@\"{onTcp}{more}\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    public DomusLocations Locations { get; }

    public DomusClient Client { get; }

    public CliRun Domus(params string[] arguments) => CliRun.Of(_environment, arguments);

    /// <summary>
    /// Starts the demo domain under <paramref name="name"/> on <paramref name="disk"/> (its disk spec), paused, and
    /// opens its console from the first byte.
    /// </summary>
    public async Task<(DomainSummary Domain, GuestConsole Console)> StartDemoAsync(string disk, string name, params string[] overrides)
    {
        var run = Domus(["create", "-p", EndToEndEnvironment.DemoConfig, $"disk=['{disk}']", $"name={name}", .. overrides]);
        Assert.True(run.ExitCode == 0, run.Error);
        var console = new GuestConsole(await Client.ConnectConsoleAsync(name, history: true));
        var unpause = Domus("unpause", name);
        Assert.True(unpause.ExitCode == 0, unpause.Error);
        var domain = (await Client.GetAsync(name)).Domain;
        return (domain, console);
    }

    /// <summary>A disk spec for a writable copy of <paramref name="image"/> in this instance's directory.</summary>
    public string WritableCopyOf(string image)
    {
        var copy = Path.Combine(Home, Path.GetFileName(image));
        File.Copy(image, copy);
        return $"file:{copy},hda,w";
    }

    /// <summary>
    /// Every entry of the managed configuration and image directories with its length (-1 for a link): what a refused
    /// form must leave as it was.
    /// </summary>
    public List<(string Path, long Length)> ManagedFiles() =>
        [.. new[] { Locations.ConfigDirectory, Locations.ImageDirectory }
            .Where(Directory.Exists)
            .SelectMany(d => new DirectoryInfo(d).EnumerateFileSystemInfos())
            .Select(f => (f.FullName, f is FileInfo { LinkTarget: null } file ? file.Length : -1))
            .Order()];

    /// <summary>The pid of the domusd serving this instance, from the process list.</summary>
    public int? DaemonPid() => Processes().Where(p => p.CommandLine.Contains("domusd", StringComparison.Ordinal)).Select(p => (int?)p.Pid).FirstOrDefault();

    /// <summary>QEMU processes started for this instance (their argv names its directory).</summary>
    public IReadOnlyList<int> QemuPids() =>
        Processes().Where(p => p.CommandLine.StartsWith("qemu-system", StringComparison.Ordinal) || p.CommandLine.Contains("/qemu-system", StringComparison.Ordinal))
            .Select(p => p.Pid).ToList();

    /// <summary>kill -9 of domusd; returns once nothing answers on its socket any more.</summary>
    public void KillDaemon()
    {
        if (DaemonPid() is not { } pid)
        {
            return;
        }

        Process.GetProcessById(pid).Kill();
        WaitUntilGone(pid);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (UnixSocket.AnswersAsync(Locations.DaemonSocket).GetAwaiter().GetResult() && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(20);
        }
    }

    public static void WaitUntilGone(int pid)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (ProcessIdentity.Of(pid) is { IsAlive: true } && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(20);
        }
    }

    /// <summary>Processes whose environment or arguments belong to this instance.</summary>
    private List<(int Pid, string CommandLine)> Processes()
    {
        var found = new List<(int, string)>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
            {
                continue;
            }

            try
            {
                var commandLine = File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' ');
                var environment = File.ReadAllText(Path.Combine(directory, "environ"));
                if (commandLine.Contains(Home, StringComparison.Ordinal) || environment.Contains($"{DomusLocations.HomeVariable}={Home}\0", StringComparison.Ordinal))
                {
                    found.Add((pid, commandLine));
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Gone meanwhile.
            }
        }

        return found;
    }

    public async ValueTask DisposeAsync()
    {
        KillDaemon();
        foreach (var pid in QemuPids())
        {
            try
            {
                Process.GetProcessById(pid).Kill();
            }
            catch (ArgumentException)
            {
                // Already gone.
            }

            WaitUntilGone(pid);
        }

        await Task.Yield();
        if (Environment.GetEnvironmentVariable("DOMUS_KEEP_TEST_HOME") is { Length: > 0 } keep)
        {
            CopyDirectory(Home, Path.Combine(keep, Path.GetFileName(Home)));
        }

        Directory.Delete(Home, recursive: true);
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from, "*.log", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
