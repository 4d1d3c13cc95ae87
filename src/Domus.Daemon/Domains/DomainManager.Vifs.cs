using Domus.Api;
using Domus.Config.Model;
using Domus.Config.Normalization;
using Domus.Config.Specs;
using Domus.Daemon.Host;
using Domus.Platform;

namespace Domus.Daemon.Domains;

/// <summary>network-attach and network-detach: network cards plugged into and out of a running domain.</summary>
public sealed partial class DomainManager
{
    private static readonly TimeSpan DetachTimeout = TimeSpan.FromSeconds(15);

    /// <summary>Plugs a NIC described by a vif spec into a running QEMU domain, on a tap of its own on the vif's bridge.</summary>
    public async Task<VifSummary> AttachVifAsync(Domain domain, string spec, CancellationToken cancellationToken)
    {
        RequireHotplug(domain);
        return await WithRunningSessionAsync(domain, "take a network card", async session =>
        {
            var record = domain.Record;
            if (record.Config.Vifs.Count >= NetworkSection.MaxNics)
            {
                throw DomainOperationException.Conflict($"{domain.Name} has {record.Config.Vifs.Count} network cards, the most a domain has");
            }

            // Xen's devid: the first number whose tap name and seeded MAC (for a vif that gives none) are both free.
            var devid = Enumerable.Range(0, (2 * NetworkSection.MaxNics) + 1).First(n =>
                !record.Taps.Contains(TapNetwork.TapName(domain.Id, n, null))
                && record.Config.Vifs.All(v => v.Mac != MacAddress.InXenRange(VifSpecParser.MacSeed(record.Config.Uuid, n))));
            var problems = new List<string>();
            var (vif, _) = VifSpecParser.Parse(spec, NicModel.Pcnet, VifSpecParser.MacSeed(record.Config.Uuid, devid), problems.Add);
            if (vif is null)
            {
                throw new DomainOperationException($"vif '{spec}': {string.Join("; ", problems)}");
            }

            if (record.Config.Vifs.Any(v => v.Mac == vif.Mac))
            {
                throw DomainOperationException.Conflict($"vif '{spec}': MAC {vif.Mac} is already one of {domain.Name}'s cards");
            }

            EnsureMacsAreFree([vif]);
            if (!HostFacts.BridgeExists(vif.Bridge))
            {
                throw new DomainOperationException($"vif '{spec}': bridge '{vif.Bridge}' does not exist on this host");
            }

            var tap = TapNetwork.TapName(domain.Id, devid, vif.Vifname);
            await taps.CreateAsync(tap, vif.Bridge, cancellationToken);
            try
            {
                await session.AttachNicAsync(vif, tap, cancellationToken);
            }
            catch
            {
                await taps.DeleteAsync(tap, CancellationToken.None);
                throw;
            }

            domain.Update(r => r with { Config = r.Config with { Vifs = [.. r.Config.Vifs, vif] }, Taps = [.. r.Taps, tap] });
            store.Save(domain.Record);
            return DomainViews.Vifs(domain)[^1];
        }, cancellationToken);
    }

    /// <summary>Asks the guest to let go of a NIC (by index or MAC), then removes it and its tap.</summary>
    public async Task<VifSummary> DetachVifAsync(Domain domain, string reference, CancellationToken cancellationToken)
    {
        RequireHotplug(domain);
        return await WithRunningSessionAsync(domain, "give up a network card", async session =>
        {
            var vifs = domain.Record.Config.Vifs;
            var index = int.TryParse(reference, out var number) && number >= 0 && number < vifs.Count ? number
                : MacAddress.TryParse(reference, out var mac) && vifs.ToList().FindIndex(v => v.Mac == mac) is >= 0 and var found ? found
                : throw new DomainOperationException($"{domain.Name} has no network card {reference} (give its index or MAC, as domus network-list shows them)", System.Net.HttpStatusCode.NotFound);
            var summary = DomainViews.Vifs(domain)[index];
            await session.DetachNicAsync(vifs[index], DetachTimeout, cancellationToken);
            await taps.DeleteAsync(domain.Record.Taps[index], CancellationToken.None);
            domain.Update(r => r with
            {
                Config = r.Config with { Vifs = [.. r.Config.Vifs.Where((_, i) => i != index)] },
                Taps = [.. r.Taps.Where((_, i) => i != index)],
            });
            store.Save(domain.Record);
            return summary;
        }, cancellationToken);
    }

    private static void RequireHotplug(Domain domain)
    {
        if (domain.Record.Config.DeviceModel.Kind == DeviceModelKind.Native)
        {
            throw DomainOperationException.Conflict($"{domain.Name} runs on domus-dm, which cannot plug network cards into a running machine");
        }
    }
}
