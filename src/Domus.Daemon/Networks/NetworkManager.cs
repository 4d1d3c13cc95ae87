using System.Net;
using Domus.Api;
using Domus.Config.Specs;
using Domus.Daemon.Domains;
using Domus.Daemon.Store;
using Domus.Platform;

namespace Domus.Daemon.Networks;

/// <summary>
/// The bridges domusd creates and keeps (Xen's network-bridge script, done safely): a Linux bridge with an
/// optional address, a DHCP server for its guests and NAT to the host's uplink. They outlive domusd; a new
/// domusd puts back what is missing (after a host reboot, or a DHCP server that died) and watches the DHCP
/// servers, restarting one that ends.
/// </summary>
public sealed class NetworkManager(DomainStore store, DomusLocations locations, ILogger<NetworkManager> log) : IAsyncDisposable
{
    private static readonly TimeSpan WatchInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(10);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, (NetworkRecord Record, DhcpServer? Dhcp)> _networks = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private Task _watch = Task.CompletedTask;

    public async Task<IReadOnlyList<NetworkSummary>> ListAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return _networks.Values.OrderBy(n => n.Record.Name, StringComparer.Ordinal).Select(n => Summary(n.Record, n.Dhcp)).ToList();
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<NetworkSummary> CreateAsync(CreateNetworkRequest request, CancellationToken cancellationToken)
    {
        var record = Validate(request);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_networks.ContainsKey(record.Name))
            {
                throw DomainOperationException.Conflict($"network {record.Name} already exists");
            }

            if (Directory.Exists(InterfaceDirectory(record.Name)))
            {
                throw DomainOperationException.Conflict($"{record.Name} already exists on this host, and domus did not create it; name another (a bridge made elsewhere serves vifs as it is)");
            }

            DhcpServer? dhcp = null;
            try
            {
                dhcp = await BringUpAsync(record, cancellationToken);
            }
            catch
            {
                await TearDownAsync(record, dhcp);
                throw;
            }

            store.SaveNetwork(record);
            _networks[record.Name] = (record, dhcp);
            return Summary(record, dhcp);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<NetworkSummary> DeleteAsync(string name, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (!_networks.TryGetValue(name, out var network))
            {
                throw new DomainOperationException($"{name}: no such network", HttpStatusCode.NotFound);
            }

            if (Ports(name) is { Count: > 0 } ports)
            {
                throw DomainOperationException.Conflict($"network {name} is in use by {string.Join(", ", ports)}; end those domains or detach their vifs first");
            }

            var summary = Summary(network.Record, network.Dhcp);
            await TearDownAsync(network.Record, network.Dhcp);
            store.DeleteNetwork(name);
            _networks.Remove(name);
            return summary with { State = "deleted", DhcpServerPid = null };
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Brings back every network of the store as it was, then starts watching their DHCP servers.</summary>
    public async Task RecoverAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            foreach (var record in store.LoadNetworks())
            {
                DhcpServer? dhcp = null;
                try
                {
                    dhcp = await BringUpAsync(record, cancellationToken);
                    log.NetworkRecovered(record.Name);
                }
                catch (Exception e) when (e is DomainOperationException or IOException or UnauthorizedAccessException)
                {
                    log.NetworkProblem(record.Name, e.Message);
                    dhcp = record.Dhcp && record.Address is { } address ? new DhcpServer(record.Name, address, StateDirectory(record.Name)) : null;
                }

                _networks[record.Name] = (record, dhcp);
            }
        }
        finally
        {
            _gate.Release();
        }

        _watch = WatchAsync(_stopping.Token);
    }

    /// <summary>
    /// Makes the network as its record says, keeping what exists: the bridge, its address, the NAT rules,
    /// and the DHCP server (a running one is adopted). Returns the DHCP server, if the network has one.
    /// </summary>
    private async Task<DhcpServer?> BringUpAsync(NetworkRecord record, CancellationToken cancellationToken)
    {
        var name = record.Name;
        if (!Directory.Exists(InterfaceDirectory(name)))
        {
            await IpCommand.RunAsync(cancellationToken, "link", "add", "name", name, "type", "bridge");
        }
        else if (!HostFacts.BridgeExists(name))
        {
            throw new DomainOperationException($"{name} exists on this host but is not a bridge");
        }

        if (record.Address is { } address)
        {
            var (_, addresses) = await HostCommand.RunAsync("ip", ["-o", "-4", "addr", "show", "dev", name], cancellationToken);
            if (!addresses.Contains($" {address} ", StringComparison.Ordinal))
            {
                await IpCommand.RunAsync(cancellationToken, "addr", "add", address.ToString(), "dev", name);
            }
        }

        await IpCommand.RunAsync(cancellationToken, "link", "set", "dev", name, "up");
        Directory.CreateDirectory(StateDirectory(name));
        if (record.Nat && record.Address is { } natAddress)
        {
            await NatRules.ApplyAsync(name, natAddress, Path.Combine(StateDirectory(name), "nat.nft"), cancellationToken);
        }

        if (!record.Dhcp || record.Address is not { } dhcpAddress)
        {
            return null;
        }

        var dhcp = new DhcpServer(name, dhcpAddress, StateDirectory(name));
        if (!dhcp.Adopt())
        {
            await dhcp.StartAsync(cancellationToken);
        }

        return dhcp;
    }

    private async Task TearDownAsync(NetworkRecord record, DhcpServer? dhcp)
    {
        if (dhcp is not null)
        {
            await dhcp.StopAsync();
        }

        if (record.Nat)
        {
            await NatRules.RemoveAsync(record.Name, CancellationToken.None);
        }

        if (HostFacts.BridgeExists(record.Name))
        {
            await IpCommand.RunAsync(CancellationToken.None, "link", "del", "dev", record.Name);
        }

        if (Directory.Exists(StateDirectory(record.Name)))
        {
            Directory.Delete(StateDirectory(record.Name), recursive: true);
        }
    }

    /// <summary>
    /// Every second, each network whose DHCP server has ended is brought up again as its record says (bridge,
    /// address, NAT, DHCP); a failure is logged and tried again after <see cref="RetryInterval"/>.
    /// </summary>
    private async Task WatchAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(WatchInterval);
        var nextTry = new Dictionary<string, DateTime>(StringComparer.Ordinal);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                await _gate.WaitAsync(cancellationToken);
                try
                {
                    foreach (var (name, (record, dhcp)) in _networks.ToList())
                    {
                        if (dhcp is null || dhcp.IsRunning || dhcp.Adopt() || DateTime.UtcNow < nextTry.GetValueOrDefault(name))
                        {
                            continue;
                        }

                        log.NetworkProblem(name, "the DHCP server is not running; starting it again");
                        try
                        {
                            _networks[name] = (record, await BringUpAsync(record, cancellationToken));
                        }
                        catch (Exception e) when (e is DomainOperationException or IOException or UnauthorizedAccessException)
                        {
                            log.NetworkProblem(name, e.Message);
                            nextTry[name] = DateTime.UtcNow + RetryInterval;
                        }
                    }
                }
                finally
                {
                    _gate.Release();
                }
            }
        }
        catch (OperationCanceledException)
        {
            // domusd is stopping; the networks stay.
        }
    }

    private static NetworkRecord Validate(CreateNetworkRequest request)
    {
        if (!InterfaceName.IsValid(request.Name))
        {
            throw new DomainOperationException($"network name '{request.Name}': a bridge's name is {InterfaceName.Rule}");
        }

        BridgeAddress? address = null;
        if (request.Address is { } text)
        {
            try
            {
                address = BridgeAddress.Parse(text);
            }
            catch (FormatException e)
            {
                throw new DomainOperationException(e.Message);
            }
        }

        if (address is null && (request.Dhcp || request.Nat))
        {
            throw new DomainOperationException($"network {request.Name}: {(request.Dhcp ? "a DHCP server" : "NAT")} needs the bridge's address (--address, e.g. 10.0.0.1/24)");
        }

        return new NetworkRecord(request.Name, address, request.Dhcp, request.Nat, DateTimeOffset.UtcNow);
    }

    private static NetworkSummary Summary(NetworkRecord record, DhcpServer? dhcp) => new()
    {
        Name = record.Name,
        Address = record.Address?.ToString(),
        DhcpRange = record.Dhcp && record.Address is { } address ? $"{address.DhcpRange.First}-{address.DhcpRange.Last}" : null,
        Nat = record.Nat,
        State = !HostFacts.BridgeExists(record.Name) ? "bridge missing"
            : dhcp is { IsRunning: false } ? "DHCP server not running"
            : "up",
        DhcpServerPid = dhcp?.Process is { IsAlive: true } process ? process.Pid : null,
        Ports = Ports(record.Name),
    };

    /// <summary>The interfaces on a bridge, as the kernel lists them.</summary>
    private static IReadOnlyList<string> Ports(string bridge)
    {
        var ports = Path.Combine(InterfaceDirectory(bridge), "brif");
        return Directory.Exists(ports) ? Directory.GetFileSystemEntries(ports).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList() : [];
    }

    private static string InterfaceDirectory(string name) => $"/sys/class/net/{name}";

    private string StateDirectory(string name) => Path.Combine(locations.StateDirectory, "networks", name);

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _watch;
        _stopping.Dispose();
    }
}
