using System.Globalization;
using System.Text.RegularExpressions;

namespace Domus.Daemon.Images;

/// <summary>A disk's size as people write it: a number and a unit, K, M, G, T or P (powers of 1024, as qemu-img reads them).</summary>
public static partial class ImageSize
{
    public const long Minimum = 1024 * 1024;
    private const long Sector = 512;
    private static readonly string[] Units = ["K", "M", "G", "T", "P"];

    /// <summary>The size in bytes, rounded up to whole sectors; or why the text is no size.</summary>
    public static (long Bytes, string? Problem) Parse(string? text)
    {
        var match = SizeText().Match(text ?? string.Empty);
        if (!match.Success)
        {
            return (0, $"'{text}' is not a size: write a number and a unit, e.g. 512M or 20G");
        }

        var number = decimal.Parse(match.Groups["number"].Value, CultureInfo.InvariantCulture);
        var unit = Array.IndexOf(Units, match.Groups["unit"].Value.ToUpperInvariant()) + 1;
        var bytes = number;
        for (var i = 0; i < unit && bytes <= long.MaxValue; i++)
        {
            bytes *= 1024;
        }

        if (bytes > long.MaxValue / 2)
        {
            return (0, $"{text} is larger than any disk");
        }

        var sectors = (long)Math.Ceiling(bytes / Sector);
        return sectors * Sector < Minimum ? (0, $"{text} is too small: a disk is at least 1M") : (sectors * Sector, null);
    }

    /// <summary>Bytes for people: 12.3 GiB.</summary>
    public static string Readable(long bytes)
    {
        var value = (double)bytes;
        var unit = 0;
        while (value >= 1024 && unit < Units.Length)
        {
            value /= 1024;
            unit++;
        }

        return unit == 0 ? $"{bytes} bytes" : string.Create(CultureInfo.InvariantCulture, $"{value:0.#} {Units[unit - 1]}iB");
    }

    [GeneratedRegex(@"^\s*(?<number>\d{1,15}(\.\d{1,6})?)\s*(?<unit>[KMGTP])(i?B)?\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex SizeText();
}
