using Domus.Platform;
using Domus.Daemon.Networks;

namespace Domus.Daemon.Host;

/// <summary>
/// The host side of a domain's NICs: one persistent tap device per vif, named vif&lt;domid&gt;.&lt;n&gt; as
/// Xen named them (or the vif's vifname), joined to the vif's bridge, and removed when the domain ends.
/// </summary>
public sealed class TapNetwork
{
    public static string TapName(int domainId, int index, string? vifname) => vifname ?? $"vif{domainId}.{index}";

    public async Task CreateAsync(string tap, string bridge, CancellationToken cancellationToken)
    {
        await IpCommand.RunAsync(cancellationToken, "tuntap", "add", "dev", tap, "mode", "tap");
        try
        {
            await IpCommand.RunAsync(cancellationToken, "link", "set", "dev", tap, "master", bridge);
            await IpCommand.RunAsync(cancellationToken, "link", "set", "dev", tap, "up");
        }
        catch
        {
            await DeleteAsync(tap, CancellationToken.None);
            throw;
        }
    }

    public async Task DeleteAsync(string tap, CancellationToken cancellationToken)
    {
        if (Directory.Exists($"/sys/class/net/{tap}"))
        {
            await HostCommand.RunAsync("ip", ["link", "del", "dev", tap], cancellationToken);
        }
    }
}
