using System.Text.Json.Serialization;

namespace Domus.Config.Model;

[JsonConverter(typeof(JsonStringEnumConverter<VgaKind>))]
public enum VgaKind
{
    [JsonStringEnumMemberName("none")]
    None,

    [JsonStringEnumMemberName("stdvga")]
    Stdvga,

    [JsonStringEnumMemberName("cirrus")]
    Cirrus,

    [JsonStringEnumMemberName("qxl")]
    Qxl,
}
