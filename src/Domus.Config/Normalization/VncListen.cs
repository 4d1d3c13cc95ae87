using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace Domus.Config.Normalization;

/// <summary>xl's <c>vnclisten = "ADDRESS[:DISPLAY]"</c>; an IPv6 address with a display is written in brackets.</summary>
public static partial class VncListen
{
    public const int BasePort = 5900;
    public const int MaxDisplay = 65535 - BasePort;

    /// <summary>Where a client on this host reaches a VNC server listening on <paramref name="listen"/> (a wildcard means loopback).</summary>
    public static string ConnectAddress(string listen) => listen switch
    {
        "0.0.0.0" => "127.0.0.1",
        "::" => "::1",
        _ => listen,
    };

    public static bool TryParse(string text, out string address, out int? display, out string problem)
    {
        address = text.Trim();
        display = null;
        problem = string.Empty;
        string? displayText = null;
        if (address.StartsWith('['))
        {
            var close = address.IndexOf(']');
            if (close < 0)
            {
                problem = $"'{text}': the '[' of the IPv6 address is not closed";
                return false;
            }

            var rest = address[(close + 1)..];
            address = address[1..close];
            if (rest.Length > 0)
            {
                if (!rest.StartsWith(':'))
                {
                    problem = $"'{text}': expected ':DISPLAY' after the address";
                    return false;
                }

                displayText = rest[1..];
            }
        }
        else if (address.Count(c => c == ':') == 1)
        {
            var colon = address.IndexOf(':');
            displayText = address[(colon + 1)..];
            address = address[..colon];
        }

        if (!IsAddress(address))
        {
            problem = $"'{text}': '{address}' is not an IP address or host name";
            return false;
        }

        if (displayText is not null)
        {
            if (!int.TryParse(displayText, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number > MaxDisplay)
            {
                problem = $"'{text}': the display '{displayText}' is not a number from 0 to {MaxDisplay}";
                return false;
            }

            display = number;
        }

        return true;
    }

    private static bool IsAddress(string text) =>
        text.Contains(':') ? IPAddress.TryParse(text, out _) : text.Count(c => c == '.') == 3 && text.All(c => char.IsAsciiDigit(c) || c == '.')
            ? IPAddress.TryParse(text, out _)
            : HostName().IsMatch(text);

    [GeneratedRegex("^[A-Za-z0-9]([A-Za-z0-9.-]{0,252}[A-Za-z0-9])?$")]
    private static partial Regex HostName();
}
