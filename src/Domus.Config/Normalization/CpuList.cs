using System.Globalization;

namespace Domus.Config.Normalization;

/// <summary>
/// xl's CPU lists: <c>"all"</c>, or comma-separated CPUs and ranges where <c>^</c> removes
/// (<c>"0-3,5,^1"</c> is 0, 2, 3 and 5; a list of only removals starts from every CPU).
/// Written back in canonical form, e.g. <c>0,2-3,5</c>.
/// </summary>
public static class CpuList
{
    public const int MaxCpu = 4095;

    /// <summary>The canonical form, "all" for no restriction, or null after reporting a problem.</summary>
    public static string? Normalize(string text, Action<string> fail)
    {
        var spec = text.Trim();
        if (spec is "all" or "")
        {
            return "all";
        }

        if (spec.StartsWith("node", StringComparison.Ordinal))
        {
            fail($"'{text}': NUMA node lists are not supported; list host CPUs");
            return null;
        }

        var included = new SortedSet<int>();
        var excluded = new SortedSet<int>();
        var anyIncluded = false;
        foreach (var rawPart in spec.Split(','))
        {
            var part = rawPart.Trim();
            var exclude = part.StartsWith('^');
            var range = exclude ? part[1..] : part;
            if (range == "all" && !exclude)
            {
                anyIncluded = true;
                included.UnionWith(Enumerable.Range(0, MaxCpu + 1));
                continue;
            }

            if (!TryParseRange(range, out var first, out var last))
            {
                fail($"'{part}' in '{text}' is not a CPU or range (e.g. 0-3,5,^1; CPUs 0 to {MaxCpu})");
                return null;
            }

            (exclude ? excluded : included).UnionWith(Enumerable.Range(first, last - first + 1));
            anyIncluded |= !exclude;
        }

        if (!anyIncluded)
        {
            included.UnionWith(Enumerable.Range(0, MaxCpu + 1));
        }

        included.ExceptWith(excluded);
        if (included.Count == 0)
        {
            fail($"'{text}' leaves no CPU to run on");
            return null;
        }

        return included.Count == MaxCpu + 1 ? "all" : Render(included);
    }

    private static bool TryParseRange(string text, out int first, out int last)
    {
        var dash = text.IndexOf('-');
        var ok = dash < 0
            ? TryParseCpu(text, out first) & TryParseCpu(text, out last)
            : TryParseCpu(text[..dash], out first) & TryParseCpu(text[(dash + 1)..], out last);
        return ok && first <= last;
    }

    private static bool TryParseCpu(string text, out int cpu) =>
        int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out cpu) && cpu <= MaxCpu;

    private static string Render(SortedSet<int> cpus)
    {
        var parts = new List<string>();
        int? start = null;
        var previous = -2;
        foreach (var cpu in cpus.Append(int.MaxValue))
        {
            if (cpu == previous + 1)
            {
                previous = cpu;
                continue;
            }

            if (start is { } s)
            {
                parts.Add(s == previous ? $"{s}" : $"{s}-{previous}");
            }

            start = cpu;
            previous = cpu;
        }

        return string.Join(',', parts);
    }
}
