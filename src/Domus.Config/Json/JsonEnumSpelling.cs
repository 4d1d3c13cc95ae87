using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Text.Json.Serialization;

namespace Domus.Config.Json;

/// <summary>
/// The spellings of enums in the JSON form of a domain, taken from their <see cref="JsonStringEnumMemberNameAttribute"/>s
/// (the xl spellings, such as <c>rename-restart</c> or <c>ne2k_pci</c>), so that the serializer and
/// <see cref="DomainConfigJsonReader"/> share one list.
/// </summary>
public static class JsonEnumSpelling
{
    /// <summary>Every spelling, comma-separated, for error messages.</summary>
    public static string All<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicFields)] TEnum>()
        where TEnum : struct, Enum => string.Join(", ", Spellings<TEnum>.List.Select(spelling => spelling.Name));

    public static string Of<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicFields)] TEnum>(TEnum value)
        where TEnum : struct, Enum
    {
        foreach (var spelling in Spellings<TEnum>.List)
        {
            if (EqualityComparer<TEnum>.Default.Equals(spelling.Value, value))
            {
                return spelling.Name;
            }
        }

        return value.ToString();
    }

    public static bool TryParse<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicFields)] TEnum>(string name, out TEnum value)
        where TEnum : struct, Enum
    {
        foreach (var spelling in Spellings<TEnum>.List)
        {
            if (spelling.Name == name)
            {
                value = spelling.Value;
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>Each enum's spellings, read from its fields once.</summary>
    private static class Spellings<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicFields)] TEnum>
        where TEnum : struct, Enum
    {
        public static readonly (TEnum Value, string Name)[] List =
        [
            .. typeof(TEnum).GetFields(BindingFlags.Public | BindingFlags.Static)
                .Select(field => ((TEnum)field.GetValue(null)!, field.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? field.Name)),
        ];
    }
}
