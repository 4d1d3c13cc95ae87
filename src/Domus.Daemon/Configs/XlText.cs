using System.Globalization;
using System.Text;

namespace Domus.Daemon.Configs;

/// <summary>Values written in the configuration language, so that the loader reads back exactly what was meant.</summary>
public static class XlText
{
    /// <summary>A double-quoted string: backslash and quote escaped, control characters as \xHH (the language's strings are one line).</summary>
    public static string Quote(string value)
    {
        var text = new StringBuilder("\"");
        foreach (var c in value)
        {
            _ = c switch
            {
                '\\' => text.Append(@"\\"),
                '"' => text.Append("\\\""),
                _ when char.IsControl(c) => text.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}"),
                _ => text.Append(c),
            };
        }

        return text.Append('"').ToString();
    }

    public static string List(IEnumerable<string> values) => $"[ {string.Join(", ", values.Select(Quote))} ]";
}
