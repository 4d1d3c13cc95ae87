using Domus.Config.Diagnostics;
using Domus.Config.Model;
using Domus.Config.Specs;

namespace Domus.Config.Normalization;

/// <summary>
/// <c>vif</c>, and xm 3.0's <c>nics</c> (the number of NICs) and <c>ne2000</c> (NE2000 instead of the
/// default AMD PCnet).
/// </summary>
public static class NetworkSection
{
    public const int MaxNics = 32;

    public static (IReadOnlyList<VifConfig> Vifs, IReadOnlyList<(string Parameter, SourceLocation Location)> Unused) Read(SettingsReader reader, Guid uuid)
    {
        var specs = reader.GetStringList("vif")?.Select(s => (s.Value, (Evaluation.ConfigValue)s)).ToList() ?? [];
        if (reader.GetInteger("nics", 0, MaxNics) is { } nics && reader.Get("nics") is { } nicsValue)
        {
            if (nics < specs.Count)
            {
                reader.Error("nics", nicsValue, $"nics = {nics}, but vif lists {specs.Count} interfaces");
            }

            while (specs.Count < nics)
            {
                specs.Add((string.Empty, nicsValue));
            }
        }

        if (specs.Count > MaxNics)
        {
            reader.Error("vif", reader.Get("vif")!, $"{specs.Count} NICs; a domain has at most {MaxNics}");
            return ([], []);
        }

        var defaultModel = reader.GetBool("ne2000") == true ? NicModel.Ne2kPci : NicModel.Pcnet;
        var vifs = new List<VifConfig>();
        var unused = new List<(string Parameter, SourceLocation Location)>();
        var macs = new Dictionary<MacAddress, int>();
        for (var i = 0; i < specs.Count; i++)
        {
            var (spec, source) = specs[i];
            var (vif, unusedParameters) = VifSpecParser.Parse(spec, defaultModel, VifSpecParser.MacSeed(uuid, i), message => reader.Error("vif", source, $"'{spec}': {message}"));
            unused.AddRange(unusedParameters.Select(p => ($"vif[{i}] {p}", source.Location)));
            if (vif is null)
            {
                continue;
            }

            if (!macs.TryAdd(vif.Mac, i))
            {
                reader.Error("vif", source, $"'{spec}': MAC {vif.Mac} is already used by vif[{macs[vif.Mac]}]");
            }

            vifs.Add(vif);
        }

        return (vifs, unused);
    }
}
