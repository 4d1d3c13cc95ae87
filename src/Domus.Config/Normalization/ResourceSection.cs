namespace Domus.Config.Normalization;

/// <summary><c>memory</c>, <c>maxmem</c>, <c>vcpus</c>, <c>maxvcpus</c> and <c>cpus</c>.</summary>
public static class ResourceSection
{
    public const long DefaultMemoryMib = 128;
    public const long MaxMemoryMib = 16L * 1024 * 1024;
    public const int MaxVcpus = 255;

    public static (long MemoryMib, long MaxmemMib, int Vcpus, int Maxvcpus, IReadOnlyList<string> Cpus) Read(SettingsReader reader)
    {
        var memory = reader.GetInteger("memory", 1, MaxMemoryMib) ?? DefaultMemoryMib;
        var maxmem = reader.GetInteger("maxmem", 1, MaxMemoryMib) ?? memory;
        if (maxmem < memory && reader.Get("maxmem") is { } maxmemValue)
        {
            reader.Error("maxmem", maxmemValue, $"{maxmem} MiB is less than memory ({memory} MiB)");
        }

        var vcpus = (int)(reader.GetInteger("vcpus", 1, MaxVcpus) ?? 1);
        var maxvcpus = (int)(reader.GetInteger("maxvcpus", 1, MaxVcpus) ?? vcpus);
        if (maxvcpus < vcpus && reader.Get("maxvcpus") is { } maxvcpusValue)
        {
            reader.Error("maxvcpus", maxvcpusValue, $"{maxvcpus} is less than vcpus ({vcpus})");
        }

        return (memory, Math.Max(maxmem, memory), vcpus, Math.Max(maxvcpus, vcpus), ReadCpus(reader, Math.Max(maxvcpus, vcpus)));
    }

    private static IReadOnlyList<string> ReadCpus(SettingsReader reader, int maxvcpus)
    {
        var entries = reader.GetStringList("cpus");
        if (entries is null)
        {
            return [];
        }

        if (entries.Count > maxvcpus)
        {
            reader.Error("cpus", reader.Get("cpus")!, $"{entries.Count} per-vCPU entries for {maxvcpus} vCPUs");
            return [];
        }

        var result = new List<string>();
        foreach (var entry in entries)
        {
            result.Add(CpuList.Normalize(entry.Value, message => reader.Error("cpus", entry, message)) ?? "all");
        }

        return result is ["all"] ? [] : result;
    }
}
