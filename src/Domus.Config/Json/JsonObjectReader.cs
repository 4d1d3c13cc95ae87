using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using Domus.Config.Model;

namespace Domus.Config.Json;

/// <summary>
/// One object of a JSON document read by hand, property by property; every error names the document and the
/// property's path, such as <c>domain.json: $.disks[1].format</c>.
/// </summary>
internal sealed class JsonObjectReader
{
    private readonly JsonElement _element;
    private readonly string _source;
    private readonly string _path;

    private JsonObjectReader(JsonElement element, string source, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException($"{source}: {path}: expected an object, found {Describe(element)}");
        }

        _element = element;
        _source = source;
        _path = path;
    }

    public static JsonObjectReader Root(JsonDocument document, string source) => new(document.RootElement, source, "$");

    public string String(string name) => Text(Required(name), name) ?? throw Expected(name, "a string");

    public string? NullableString(string name) => Text(Required(name), name);

    /// <summary>A property that may be left out; absent or null reads as null.</summary>
    public string? OptionalString(string name) => _element.TryGetProperty(name, out var value) ? Text(value, name) : null;

    public IReadOnlyList<string> Strings(string name) => Items(Required(name), name, (item, path) => Text(item, path) ?? throw Expected(path, "a string"));

    /// <summary>An array of strings that may be left out (null when it is).</summary>
    public IReadOnlyList<string>? OptionalStrings(string name) => _element.TryGetProperty(name, out _) ? Strings(name) : null;

    public bool Boolean(string name) => Required(name) switch
    {
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        _ => throw Expected(name, "true or false"),
    };

    public long Int64(string name) => Required(name) is { ValueKind: JsonValueKind.Number } value && value.TryGetInt64(out var number)
        ? number
        : throw Expected(name, "a whole number");

    public int Int32(string name) => Required(name) is { ValueKind: JsonValueKind.Number } value && value.TryGetInt32(out var number)
        ? number
        : throw Expected(name, "a whole number of 32 bits");

    public int? NullableInt32(string name) => Required(name).ValueKind == JsonValueKind.Null ? null : Int32(name);

    public Guid Uuid(string name) => System.Guid.TryParse(String(name), CultureInfo.InvariantCulture, out var guid) ? guid : throw Expected(name, "a UUID");

    public TEnum Enum<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicFields)] TEnum>(string name)
        where TEnum : struct, Enum =>
        JsonEnumSpelling.TryParse<TEnum>(String(name), out var value) ? value : throw Expected(name, $"one of {JsonEnumSpelling.All<TEnum>()}");

    public MacAddress Mac(string name) => MacAddress.TryParse(String(name), out var mac) ? mac : throw Expected(name, "a MAC address xx:xx:xx:xx:xx:xx");

    public JsonObjectReader Object(string name) => new(Required(name), _source, $"{_path}.{name}");

    public JsonObjectReader? OptionalObject(string name) =>
        _element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? new(value, _source, $"{_path}.{name}") : null;

    public IReadOnlyList<T> Objects<T>(string name, Func<JsonObjectReader, T> read) =>
        Items(Required(name), name, (item, path) => read(new JsonObjectReader(item, _source, path)));

    private List<T> Items<T>(JsonElement array, string name, Func<JsonElement, string, T> read)
    {
        if (array.ValueKind != JsonValueKind.Array)
        {
            throw Expected(name, "an array");
        }

        var items = new List<T>(array.GetArrayLength());
        foreach (var item in array.EnumerateArray())
        {
            items.Add(read(item, $"{_path}.{name}[{items.Count}]"));
        }

        return items;
    }

    private JsonElement Required(string name) =>
        _element.TryGetProperty(name, out var value) ? value : throw new JsonException($"{_source}: {_path}: \"{name}\" is missing");

    private string? Text(JsonElement value, string name) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Null => null,
        _ => throw Expected(name, "a string"),
    };

    /// <param name="name">A property of this object, or an array item's whole path ($.cpus[1]).</param>
    /// <param name="what">What the property should have held.</param>
    private JsonException Expected(string name, string what)
    {
        var path = name.StartsWith('$') ? name : $"{_path}.{name}";
        return new JsonException($"{_source}: {path}: expected {what}");
    }

    private static string Describe(JsonElement element) => element.ValueKind.ToString().ToLowerInvariant();
}
