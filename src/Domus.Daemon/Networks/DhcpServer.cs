using Domus.Daemon.Domains;
using Domus.Platform;

namespace Domus.Daemon.Networks;

/// <summary>
/// dnsmasq serving DHCP (and no DNS) on one bridge. It runs as a daemon of its own, so that it outlives a
/// restart of domusd as domains do; domusd finds it again by its command line and restarts it when it dies.
/// Its leases and log are kept in the network's state directory.
/// </summary>
public sealed class DhcpServer(string bridge, BridgeAddress address, string directory)
{
    public const string Program = "dnsmasq";

    public string PidFile => Path.Combine(directory, "dnsmasq.pid");

    public string LogFile => Path.Combine(directory, "dnsmasq.log");

    public string LeaseFile => Path.Combine(directory, "leases");

    public ProcessIdentity? Process { get; private set; }

    public bool IsRunning => Process is { IsAlive: true };

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var (first, last) = address.DhcpRange;
        string[] arguments =
        [
            "--conf-file=/dev/null", "--port=0", "--bind-interfaces", "--except-interface=lo", $"--interface={bridge}",
            $"--dhcp-range={first},{last},{address.Netmask},1h", "--dhcp-authoritative", "--dhcp-no-override",
            $"--dhcp-leasefile={LeaseFile}", $"--pid-file={PidFile}", $"--log-facility={LogFile}", "--log-dhcp",
        ];

        // dnsmasq forks into the background and exits once it serves, or at once with the reason it cannot.
        var (exitCode, output) = await HostCommand.RunAsync(Program, arguments, cancellationToken);
        if (exitCode != 0)
        {
            throw new DomainOperationException($"the DHCP server for {bridge} did not start: {output}");
        }

        if (!Adopt())
        {
            throw new DomainOperationException($"the DHCP server for {bridge} started but is not running (see {LogFile})");
        }
    }

    /// <summary>Finds a dnsmasq started earlier for this bridge, by the pid file its command line names; true when it runs.</summary>
    public bool Adopt()
    {
        Process = ProcessIdentity.WithArgument(Program, $"--pid-file={PidFile}").Select(p => (ProcessIdentity?)p).FirstOrDefault();
        return IsRunning;
    }

    public async Task StopAsync()
    {
        if (Process is { } process)
        {
            await process.KillAndWaitAsync(TimeSpan.FromSeconds(5));
        }

        File.Delete(PidFile);
        Process = null;
    }
}
