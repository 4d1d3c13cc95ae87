using System.Text;

namespace Domus.Images;

/// <summary>
/// The loadable modules of an unpacked Debian kernel package (lib/modules/VERSION/kernel/**.ko), looked up by
/// module name (dashes and underscores alike, as modprobe treats them) and put in load order: every module
/// after the modules its <c>.modinfo</c> says it depends on.
/// </summary>
public sealed class KernelModules
{
    private static readonly byte[] DependsTag = "\0depends="u8.ToArray();
    private readonly Dictionary<string, string> _paths;

    public KernelModules(string kernelRoot)
    {
        var modules = Path.Combine(kernelRoot, "lib", "modules");
        _paths = Directory.Exists(modules)
            ? Directory.EnumerateFiles(modules, "*.ko", SearchOption.AllDirectories)
                .GroupBy(p => Normalize(Path.GetFileNameWithoutExtension(p)))
                .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal)
            : [];
    }

    public bool Has(string name) => _paths.ContainsKey(Normalize(name));

    /// <summary>The named modules and everything they need, each once, dependencies first.</summary>
    public IReadOnlyList<(string Name, string Path)> InLoadOrder(IEnumerable<string> names)
    {
        var ordered = new List<(string, string)>();
        var visited = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            Visit(Normalize(name), ordered, visited, []);
        }

        return ordered;
    }

    /// <summary>The modules a .ko file depends on, from its modinfo's <c>depends=</c> entry.</summary>
    public static IReadOnlyList<string> Dependencies(ReadOnlySpan<byte> module)
    {
        var at = module.IndexOf(DependsTag);
        if (at < 0)
        {
            return [];
        }

        var value = module[(at + DependsTag.Length)..];
        var end = value.IndexOf((byte)0);
        var text = Encoding.ASCII.GetString(end < 0 ? value : value[..end]);
        return text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    private void Visit(string name, List<(string, string)> ordered, HashSet<string> visited, HashSet<string> path)
    {
        if (visited.Contains(name))
        {
            return;
        }

        if (!path.Add(name))
        {
            throw new ImageBuildException($"kernel modules depend on each other in a circle: {string.Join(" -> ", path)} -> {name}");
        }

        var file = _paths.GetValueOrDefault(name) ?? throw new ImageBuildException($"the kernel package has no module {name}");
        foreach (var dependency in Dependencies(File.ReadAllBytes(file)))
        {
            Visit(Normalize(dependency), ordered, visited, path);
        }

        path.Remove(name);
        visited.Add(name);
        ordered.Add((name, file));
    }

    private static string Normalize(string name) => name.Replace('-', '_');
}
