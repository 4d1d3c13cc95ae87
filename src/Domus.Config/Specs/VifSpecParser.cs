using System.Buffers.Binary;
using System.Net;
using Domus.Config.Model;

namespace Domus.Config.Specs;

/// <summary>
/// Reads one vif spec of xl-network-configuration(5) (<c>key=value</c> items separated by commas; an empty
/// spec is a NIC with every default). A missing MAC is derived from <paramref name="macSeed"/> inside Xen's
/// 00:16:3e range, so the same domain UUID and NIC position always get the same address.
/// </summary>
public static class VifSpecParser
{
    public const string DefaultBridge = "xenbr0";

    /// <summary>Parameters that Domus accepts but does not act on, listed in the configuration's one warning.</summary>
    private static readonly HashSet<string> UnusedParameters =
        ["script", "gatewaydev", "netdev", "mtu", "vlan", "accel", "forwarddev", "devid", "trusted", "untrusted"];

    public static (VifConfig? Vif, IReadOnlyList<string> Unused) Parse(
        string spec, NicModel defaultModel, ReadOnlySpan<byte> macSeed, Action<string> report)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var unused = new List<string>();
        var failed = false;
        void Fail(string message)
        {
            failed = true;
            report(message);
        }

        foreach (var rawItem in spec.Split(','))
        {
            var item = rawItem.Trim();
            if (item.Length == 0)
            {
                continue;
            }

            var equals = item.IndexOf('=');
            var key = (equals < 0 ? item : item[..equals]).Trim();
            var value = equals < 0 ? string.Empty : item[(equals + 1)..].Trim();
            if (!values.TryAdd(key, value))
            {
                Fail($"'{key}' is given twice");
            }
            else if (UnusedParameters.Contains(key))
            {
                unused.Add(key);
            }
            else if (key is not ("mac" or "bridge" or "model" or "type" or "ip" or "vifname" or "rate" or "backend"))
            {
                Fail($"unknown parameter '{key}' (known: mac, bridge, model, type, ip, vifname, rate, script, backend)");
            }
        }

        var mac = MacAddress.InXenRange(macSeed);
        if (values.TryGetValue("mac", out var macText))
        {
            if (!MacAddress.TryParse(macText, out mac))
            {
                Fail($"invalid MAC address '{macText}' (six hex bytes separated by ':', e.g. 00:16:3e:00:00:11)");
            }
            else if (mac.IsMulticast || mac.IsZero)
            {
                Fail($"MAC address '{macText}' is {(mac.IsZero ? "all zeros" : "a multicast address")}: a NIC needs a unicast address");
            }
        }

        var bridge = values.GetValueOrDefault("bridge", DefaultBridge);
        if (!InterfaceName.IsValid(bridge))
        {
            Fail($"invalid bridge name '{bridge}': a bridge name is {InterfaceName.Rule}");
        }

        var vifname = values.GetValueOrDefault("vifname");
        if (vifname is not null && !InterfaceName.IsValid(vifname))
        {
            Fail($"invalid vifname '{vifname}': an interface name is {InterfaceName.Rule}");
        }

        var type = values.GetValueOrDefault("type", "ioemu") switch
        {
            "ioemu" => NicType.Ioemu,
            "vif" or "netfront" => NicType.Vif,
            var other => FailAs<NicType>($"unknown type '{other}' (ioemu: an emulated card; vif: paravirtual, which is virtio-net here)"),
        };
        var model = values.TryGetValue("model", out var modelText) ? ParseModel(modelText, Fail) : type == NicType.Vif ? NicModel.VirtioNet : defaultModel;
        var ips = ParseAddresses(values.GetValueOrDefault("ip"), Fail);
        var rate = values.TryGetValue("rate", out var rateText) ? RateSpecParser.Parse(rateText, Fail) : null;
        if (values.TryGetValue("backend", out var backend) && backend is not ("0" or "Domain-0" or "dom0"))
        {
            Fail($"backend '{backend}': Domus connects every NIC in the host itself; driver domains do not exist here");
        }

        if (failed)
        {
            return (null, unused);
        }

        return (new VifConfig
        {
            Mac = mac,
            MacGenerated = macText is null,
            Bridge = bridge,
            Model = model,
            Type = type,
            Ip = ips,
            Vifname = vifname,
            Rate = rate,
            Script = values.GetValueOrDefault("script"),
        }, unused);

        T FailAs<T>(string message)
            where T : struct
        {
            Fail(message);
            return default;
        }
    }

    /// <summary>A model name as xl and QEMU spell it, including the aliases Xen users wrote.</summary>
    public static NicModel ParseModel(string text, Action<string> fail)
    {
        switch (text)
        {
            case "pcnet" or "pcnet32" or "pcnet-pci":
                return NicModel.Pcnet;
            case "ne2k_pci" or "ne2000" or "ne2k":
                return NicModel.Ne2kPci;
            case "rtl8139":
                return NicModel.Rtl8139;
            case "e1000":
                return NicModel.E1000;
            case "virtio" or "virtio-net" or "virtio-net-pci":
                return NicModel.VirtioNet;
            default:
                fail($"unknown NIC model '{text}' (pcnet, ne2k_pci, rtl8139, e1000, virtio-net)");
                return default;
        }
    }

    private static List<string> ParseAddresses(string? text, Action<string> fail)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        var addresses = new List<string>();
        foreach (var part in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (IPAddress.TryParse(part, out var address) && (part.Count(c => c == '.') == 3 || part.Contains(':')))
            {
                addresses.Add(address.ToString());
            }
            else
            {
                fail($"invalid IP address '{part}'");
            }
        }

        return addresses;
    }

    /// <summary>The domain's UUID and the NIC's position: a stable seed for a generated MAC.</summary>
    public static byte[] MacSeed(Guid uuid, int index)
    {
        var seed = new byte[20];
        uuid.TryWriteBytes(seed);
        BinaryPrimitives.WriteInt32LittleEndian(seed.AsSpan(16), index);
        return seed;
    }
}
