using System.Security.Cryptography;
using System.Text;
using Domus.Daemon.Domains;
using Domus.Platform;

namespace Domus.Daemon.Networks;

/// <summary>
/// Masquerading for a bridge's subnet, so that its guests reach the host's other networks (its uplink) with
/// the host's address: an nftables table of the network's own, written to a file and loaded with nft -f, and
/// IPv4 forwarding switched on.
/// </summary>
public static class NatRules
{
    public const string Program = "nft";
    private const string ForwardingSwitch = "/proc/sys/net/ipv4/ip_forward";

    /// <summary>nftables names are narrower than interface names: letters, digits and '_' only, and unique per bridge.</summary>
    public static string TableName(string bridge) =>
        $"domus_{new string([.. bridge.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_')])}_{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(bridge)))[..6]}";

    public static async Task ApplyAsync(string bridge, BridgeAddress address, string rulesFile, CancellationToken cancellationToken)
    {
        var table = TableName(bridge);
        var rules = $$"""
            table ip {{table}} {}
            delete table ip {{table}}
            table ip {{table}} {
              chain postrouting {
                type nat hook postrouting priority srcnat; policy accept;
                ip saddr {{address.Subnet}} ip daddr != {{address.Subnet}} masquerade
              }
              chain forward {
                type filter hook forward priority filter; policy accept;
                iifname "{{bridge}}" accept
                oifname "{{bridge}}" ct state established,related accept
              }
            }

            """;
        await File.WriteAllTextAsync(rulesFile, rules, cancellationToken);
        await RunAsync(["-f", rulesFile], $"cannot set up NAT for {bridge}", cancellationToken);
        await File.WriteAllTextAsync(ForwardingSwitch, "1\n", cancellationToken);
    }

    public static async Task RemoveAsync(string bridge, CancellationToken cancellationToken)
    {
        var table = TableName(bridge);
        var (exitCode, _) = await HostCommand.RunAsync(Program, ["list", "table", "ip", table], cancellationToken);
        if (exitCode == 0)
        {
            await RunAsync(["delete", "table", "ip", table], $"cannot remove the NAT rules of {bridge}", cancellationToken);
        }
    }

    private static async Task RunAsync(IReadOnlyList<string> arguments, string failure, CancellationToken cancellationToken)
    {
        var (exitCode, output) = await HostCommand.RunAsync(Program, arguments, cancellationToken);
        if (exitCode != 0)
        {
            throw new DomainOperationException($"{failure}: {output}");
        }
    }
}
