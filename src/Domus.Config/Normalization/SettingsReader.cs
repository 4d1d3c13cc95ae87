using System.Diagnostics;
using Domus.Config.Diagnostics;
using Domus.Config.Evaluation;
using Domus.Config.Syntax;

namespace Domus.Config.Normalization;

/// <summary>
/// Typed access to the settings a configuration produced. Every key asked for is remembered, so that what
/// nobody asked for can be listed as "not acted on"; every wrong type is reported at the value's location,
/// prefixed with the key. Numbers read as strings keep their spelling (as xl does) and strings holding
/// numbers read as numbers (SUSE's files quote them: <c>localtime = '0'</c>). A key that another one
/// overrides is marked with <see cref="Supersede"/>, so that the warning can say which key won.
/// </summary>
public sealed class SettingsReader
{
    private readonly Dictionary<string, Setting> _settings;
    private readonly IReadOnlySet<string> _failed;
    private readonly IReadOnlyDictionary<string, string> _baseDirectories;
    private readonly HashSet<string> _requested = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _superseded = new(StringComparer.Ordinal);

    public SettingsReader(EvaluatedConfig evaluated, IReadOnlyList<SourceText> sources, DiagnosticBag diagnostics)
    {
        _settings = evaluated.Settings.ToDictionary(s => s.Key, StringComparer.Ordinal);
        _failed = evaluated.FailedKeys;
        _baseDirectories = sources.ToDictionary(s => s.Name, s => s.BaseDirectory, StringComparer.Ordinal);
        Diagnostics = diagnostics;
        Settings = evaluated.Settings;
    }

    public DiagnosticBag Diagnostics { get; }

    public IReadOnlyList<Setting> Settings { get; }

    /// <summary>Every key some part of Domus asked for, present or not.</summary>
    public IReadOnlySet<string> Requested => _requested;

    /// <summary>Keys that have no effect because another key takes precedence, with the key (or keys) that won.</summary>
    public IReadOnlyDictionary<string, string> Superseded => _superseded;

    /// <summary>The value of <paramref name="key"/>, or null when it is absent or its value already failed.</summary>
    public ConfigValue? Get(string key)
    {
        Request(key);
        return _settings.TryGetValue(key, out var setting) ? setting.Value : null;
    }

    public bool Has(string key)
    {
        Request(key);
        return _settings.ContainsKey(key) || _failed.Contains(key);
    }

    /// <summary>Records that <paramref name="key"/>, if set, has no effect because <paramref name="winner"/> takes precedence.</summary>
    public void Supersede(string key, string winner)
    {
        Request(key);
        _superseded[key] = winner;
    }

    private void Request(string key)
    {
        // A key read but not listed would be reported as unknown whenever a section skips it.
        Debug.Assert(KnownKeys.ActedOn.Contains(key), $"'{key}' is read but missing from KnownKeys.ActedOn");
        _requested.Add(key);
    }

    /// <summary>The directory relative paths in <paramref name="value"/> are resolved against.</summary>
    public string BaseDirectoryOf(ConfigValue value) =>
        _baseDirectories.GetValueOrDefault(value.Location.Source, Environment.CurrentDirectory);

    public void Error(string key, ConfigValue value, string message) => Diagnostics.Error(value.Location, $"{key}: {message}");

    public void Error(string key, SourceLocation location, string message) => Diagnostics.Error(location, $"{key}: {message}");

    public StringValue? GetString(string key)
    {
        switch (Get(key))
        {
            case null:
                return null;
            case StringValue s:
                return s;
            case NumberValue n:
                return new StringValue(n.Location, n.Text);
            case var other:
                Error(key, other, $"expected a string, got a {other.TypeName} {other.Show()}");
                return null;
        }
    }

    public long? GetInteger(string key, long min, long max)
    {
        var value = Get(key);
        long number;
        switch (value)
        {
            case null:
                return null;
            case NumberValue n:
                number = n.Value;
                break;
            case StringValue s when TryParseSignedInteger(s.Value.Trim(), out var parsed):
                number = parsed;
                break;
            default:
                Error(key, value, $"expected a number, got a {value.TypeName} {value.Show()}");
                return null;
        }

        if (number < min || number > max)
        {
            Error(key, value, $"{number} is out of range ({min} to {max})");
            return null;
        }

        return number;
    }

    public bool? GetBool(string key)
    {
        var value = Get(key);
        switch (value)
        {
            case null:
                return null;
            case NumberValue n:
                return n.Value != 0;
            case StringValue s:
                var text = s.Value.Trim().ToLowerInvariant();
                if (text is "1" or "y" or "yes" or "true" or "on")
                {
                    return true;
                }

                if (text is "0" or "n" or "no" or "false" or "off" or "")
                {
                    return false;
                }

                if (TryParseSignedInteger(text, out var number))
                {
                    return number != 0;
                }

                break;
        }

        Error(key, value, $"expected 0 or 1, got a {value.TypeName} {value.Show()}");
        return null;
    }

    /// <summary>A list of strings; a single string stands for a list of one.</summary>
    public IReadOnlyList<StringValue>? GetStringList(string key)
    {
        var value = Get(key);
        switch (value)
        {
            case null:
                return null;
            case StringValue s:
                return [s];
            case NumberValue n:
                return [new StringValue(n.Location, n.Text)];
            case ListValue list:
                var items = new List<StringValue>(list.Items.Count);
                foreach (var item in list.Items)
                {
                    switch (item)
                    {
                        case StringValue s:
                            items.Add(s);
                            break;
                        case NumberValue n:
                            items.Add(new StringValue(n.Location, n.Text));
                            break;
                        default:
                            Error(key, item, $"expected a string in the list, got a {item.TypeName} {item.Show()}");
                            return null;
                    }
                }

                return items;
            default:
                Error(key, value, $"expected a string or a list of strings, got a {value.TypeName}");
                return null;
        }
    }

    private static bool TryParseSignedInteger(string text, out long value)
    {
        var negative = text.StartsWith('-');
        if (Lexer.TryParseInteger(negative ? text[1..] : text, out value))
        {
            value = negative ? -value : value;
            return true;
        }

        return false;
    }
}
