using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Domus.Daemon.Networks;

/// <summary>
/// A bridge's IPv4 address and prefix (10.0.0.1/24), and what follows from it: the subnet the guests share and
/// the addresses a DHCP server may hand out — the hosts of the subnet on the larger side of the bridge's own.
/// </summary>
public sealed record BridgeAddress(IPAddress Address, int PrefixLength)
{
    public static BridgeAddress Parse(string text)
    {
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || !IPAddress.TryParse(text[..slash], out var address) || address.AddressFamily != AddressFamily.InterNetwork
            || text[..slash].Count(c => c == '.') != 3
            || !int.TryParse(text[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var prefix))
        {
            throw new FormatException($"address '{text}' is not an IPv4 address with a prefix length, e.g. 10.0.0.1/24");
        }

        if (prefix is < 8 or > 30)
        {
            throw new FormatException($"address '{text}': the prefix length must be 8 to 30, so that guests have addresses beside the bridge's");
        }

        var result = new BridgeAddress(address, prefix);
        if (result.Host == result.Network || result.Host == result.Broadcast)
        {
            throw new FormatException($"address '{text}' is the subnet's {(result.Host == result.Network ? "network" : "broadcast")} address; give the bridge a host address, e.g. {ToAddress(result.Network + 1)}/{prefix}");
        }

        return result;
    }

    public string Subnet => $"{ToAddress(Network)}/{PrefixLength}";

    public string Netmask => ToAddress(Mask);

    /// <summary>The first and last address a DHCP server hands out.</summary>
    public (string First, string Last) DhcpRange =>
        Host - Network - 1 < Broadcast - Host - 1
            ? (ToAddress(Host + 1), ToAddress(Broadcast - 1))
            : (ToAddress(Network + 1), ToAddress(Host - 1));

    public override string ToString() => $"{Address}/{PrefixLength}";

    private uint Host => BinaryPrimitives.ReadUInt32BigEndian(Address.GetAddressBytes());

    private uint Mask => uint.MaxValue << (32 - PrefixLength);

    private uint Network => Host & Mask;

    private uint Broadcast => Network | ~Mask;

    private static string ToAddress(uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return new IPAddress(bytes).ToString();
    }
}
