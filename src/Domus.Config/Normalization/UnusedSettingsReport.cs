using Domus.Config.Diagnostics;

namespace Domus.Config.Normalization;

/// <summary>
/// The one warning that lists what a configuration set but Domus will not act on: recognised keys (with the
/// key that took precedence, where one did), spec parameters such as a vif's script, and unknown keys with the
/// nearest known name (typos are the usual cause). Helper variables that the configuration itself read, like
/// <c>arch_libdir</c>, are not settings.
/// </summary>
public static class UnusedSettingsReport
{
    public static void Add(SettingsReader reader, IReadOnlyList<(string Parameter, SourceLocation Location)> unusedParameters, SourceLocation file)
    {
        var ignored = new List<string>();
        var unknown = new List<string>();
        foreach (var setting in reader.Settings)
        {
            var where = Where(setting.Value.Location, file);
            if (reader.Superseded.TryGetValue(setting.Key, out var winner))
            {
                ignored.Add($"{setting.Key} ({where}; overridden by {winner})");
                continue;
            }

            if (reader.Requested.Contains(setting.Key) || setting.ReadByScript)
            {
                continue;
            }

            // A known key that no section read (one made irrelevant by another) is still no unknown key.
            if (KnownKeys.Contains(setting.Key))
            {
                ignored.Add($"{setting.Key} ({where})");
            }
            else
            {
                var suggestion = Nearest(setting.Key, KnownKeys.All);
                unknown.Add(suggestion is null ? $"{setting.Key} ({where})" : $"{setting.Key} ({where}; did you mean '{suggestion}'?)");
            }
        }

        ignored.AddRange(unusedParameters.Select(p => $"{p.Parameter} ({Where(p.Location, file)})"));
        var parts = new List<string>();
        if (ignored.Count > 0)
        {
            parts.Add("accepted but not acted on: " + string.Join(", ", ignored));
        }

        if (unknown.Count > 0)
        {
            parts.Add("unknown keys, ignored: " + string.Join(", ", unknown));
        }

        if (parts.Count > 0)
        {
            reader.Diagnostics.Warning(file, string.Join("; ", parts));
        }
    }

    private static string Where(SourceLocation location, SourceLocation file) =>
        location.Source == file.Source ? $"line {location.Line}" : location.Source;

    private static string? Nearest(string key, IEnumerable<string> candidates)
    {
        // One or two letters are too short to tell a typo from another word ('x' is not a misspelt 'nx').
        if (key.Length < 3)
        {
            return null;
        }

        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates.Distinct().Order(StringComparer.Ordinal))
        {
            var distance = EditDistance(key, candidate);
            if (distance < bestDistance)
            {
                (best, bestDistance) = (candidate, distance);
            }
        }

        return bestDistance <= Math.Max(1, key.Length / 4) ? best : null;
    }

    /// <summary>Edits between two names, a swap of neighbours counting as one (the commonest typo).</summary>
    private static int EditDistance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
