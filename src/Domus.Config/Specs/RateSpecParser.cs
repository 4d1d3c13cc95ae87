using System.Globalization;
using System.Text.RegularExpressions;
using Domus.Config.Model;

namespace Domus.Config.Specs;

/// <summary>
/// A vif's <c>rate=RATE/s[@INTERVAL]</c> as libxlu reads it: G, M and K are powers of 1000, a lower-case
/// <c>b</c> counts bits, the interval is in s (the default unit), ms or us, and defaults to 50 ms.
/// </summary>
public static partial class RateSpecParser
{
    private const long DefaultIntervalMicroseconds = 50_000;

    public static RateLimit? Parse(string text, Action<string> report)
    {
        var at = text.IndexOf('@');
        var rateText = at < 0 ? text : text[..at];
        var rate = RatePattern().Match(rateText);
        if (!rate.Success)
        {
            report($"invalid rate '{text}' (for example 10Mb/s, 1MB/s@20ms)");
            return null;
        }

        if (!ulong.TryParse(rate.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var amount) || amount is 0 or > uint.MaxValue)
        {
            report($"rate '{text}' is zero or too large");
            return null;
        }

        var bytesPerSecond = (long)amount * rate.Groups[2].Value switch
        {
            "G" => 1_000_000_000L,
            "M" => 1_000_000L,
            "K" => 1_000L,
            _ => 1L,
        };
        if (rate.Groups[3].Value == "b")
        {
            bytesPerSecond /= 8;
        }

        var interval = DefaultIntervalMicroseconds;
        if (at >= 0)
        {
            var intervalMatch = IntervalPattern().Match(text[(at + 1)..]);
            if (!intervalMatch.Success
                || !long.TryParse(intervalMatch.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out interval)
                || interval is 0 or > uint.MaxValue)
            {
                report($"invalid replenishment interval in rate '{text}' (for example @20ms, @500us, @1s)");
                return null;
            }

            interval *= intervalMatch.Groups[2].Value switch
            {
                "m" => 1_000,
                "u" => 1,
                _ => 1_000_000,
            };
            if (interval > uint.MaxValue)
            {
                report($"the replenishment interval in rate '{text}' is too long");
                return null;
            }
        }

        return new RateLimit(bytesPerSecond, interval);
    }

    [GeneratedRegex("^([0-9]+)([GMK]?)([Bb])/s$")]
    private static partial Regex RatePattern();

    [GeneratedRegex("^([0-9]+)([mu]?)s?$")]
    private static partial Regex IntervalPattern();
}
