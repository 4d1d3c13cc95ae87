using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Serialization;

namespace Domus.Config.Model;

/// <summary>An Ethernet address, written xx:xx:xx:xx:xx:xx in lowercase.</summary>
[JsonConverter(typeof(Json.MacAddressJsonConverter))]
public readonly record struct MacAddress
{
    /// <summary>Xen's organisationally unique identifier, from which xend and xl drew their random MACs.</summary>
    public static readonly byte[] XenOui = [0x00, 0x16, 0x3e];

    private readonly ulong _value;

    private MacAddress(ulong value) => _value = value;

    public byte this[int index] => (byte)(_value >> (8 * (5 - index)));

    public bool IsMulticast => (this[0] & 1) != 0;

    public bool IsZero => _value == 0;

    public static bool TryParse(string text, out MacAddress address)
    {
        address = default;
        var parts = text.Split(':');
        if (parts.Length != 6)
        {
            return false;
        }

        ulong value = 0;
        foreach (var part in parts)
        {
            if (part.Length is < 1 or > 2 || !byte.TryParse(part, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var b))
            {
                return false;
            }

            value = (value << 8) | b;
        }

        address = new MacAddress(value);
        return true;
    }

    /// <summary>A MAC in Xen's 00:16:3e range whose last three bytes come from <paramref name="seed"/>, as xend's randomMAC kept the first of them below 0x80.</summary>
    public static MacAddress InXenRange(ReadOnlySpan<byte> seed)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(seed, hash);
        ulong value = ((ulong)XenOui[0] << 40) | ((ulong)XenOui[1] << 32) | ((ulong)XenOui[2] << 24);
        value |= ((ulong)(hash[0] & 0x7f) << 16) | ((ulong)hash[1] << 8) | hash[2];
        return new MacAddress(value);
    }

    public override string ToString()
    {
        var value = _value;
        return string.Join(':', Enumerable.Range(0, 6).Select(i => ((byte)(value >> (8 * (5 - i)))).ToString("x2", CultureInfo.InvariantCulture)));
    }
}
