using Domus.Config.Evaluation;

namespace Domus.Config.Normalization;

/// <summary>Host paths named in a configuration: made absolute against the directory of the file that named them.</summary>
public static class ConfigPaths
{
    public static string? Resolve(SettingsReader reader, string key, StringValue value)
    {
        if (value.Value.Length == 0)
        {
            reader.Error(key, value, "the path is empty");
            return null;
        }

        if (value.Value.Any(char.IsControl))
        {
            reader.Error(key, value, "the path contains a control character");
            return null;
        }

        return Path.GetFullPath(Path.Combine(reader.BaseDirectoryOf(value), value.Value));
    }
}
