using System.Text;
using Domus.Api;

namespace Domus.Cli.Commands;

/// <summary>
/// <c>network create|delete|list</c>: the host bridges domusd manages, as Xen's network-bridge script made
/// xenbr0 — with an address, a DHCP server for the guests and NAT to the host's uplink when asked.
/// </summary>
public sealed class NetworkCommand : ICommand
{
    private static readonly Dictionary<string, string> Flags = new() { ["--dhcp"] = "dhcp", ["--nat"] = "nat" };
    private static readonly Dictionary<string, string> ValueFlags = new() { ["--address"] = "address", ["-a"] = "address" };

    public string Name => "network";

    public string Usage => "create BRIDGE [--address CIDR [--dhcp] [--nat]] | delete BRIDGE | list";

    public string Summary => "Create, delete and list host bridges, with DHCP for guests and NAT.";

    public async Task<int> RunAsync(CommandContext context, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var reader = new ArgumentReader(arguments, Flags, ValueFlags);
        var client = DaemonConnection.ClientFor(context);
        switch (reader.Operands)
        {
            case ["create", var name]:
                var created = await client.CreateNetworkAsync(new CreateNetworkRequest(name, reader.Value("address"), reader.Has("dhcp"), reader.Has("nat")), cancellationToken);
                context.Out.Write(Table([created]));
                return 0;
            case ["delete", var name] when !reader.Has("dhcp") && !reader.Has("nat") && reader.Value("address") is null:
                await client.DeleteNetworkAsync(name, cancellationToken);
                return 0;
            case ["list"] when !reader.Has("dhcp") && !reader.Has("nat") && reader.Value("address") is null:
                context.Out.Write(Table(await client.NetworksAsync(cancellationToken)));
                return 0;
            default:
                throw new UsageException("network takes 'create BRIDGE [options]', 'delete BRIDGE' or 'list'");
        }
    }

    private static string Table(IReadOnlyList<NetworkSummary> networks)
    {
        var output = new StringBuilder();
        output.Append($"{"Name",-16}{"Address",-19}{"DHCP",-32}{"NAT",-5}{"State",-24}Ports\n");
        foreach (var n in networks)
        {
            output.Append($"{n.Name,-16}{n.Address ?? "-",-19}{n.DhcpRange ?? "-",-32}{(n.Nat ? "yes" : "no"),-5}{n.State,-24}{(n.Ports.Count > 0 ? string.Join(',', n.Ports) : "-")}\n");
        }

        return output.ToString();
    }
}
