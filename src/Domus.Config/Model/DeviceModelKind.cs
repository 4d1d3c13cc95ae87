using System.Text.Json.Serialization;

namespace Domus.Config.Model;

/// <summary>Which program emulates the domain's PC: Domus' own VMM (domus-dm) or QEMU.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DeviceModelKind>))]
public enum DeviceModelKind
{
    [JsonStringEnumMemberName("native")]
    Native,

    [JsonStringEnumMemberName("qemu")]
    Qemu,
}
