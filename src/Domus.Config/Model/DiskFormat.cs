using System.Text.Json.Serialization;

namespace Domus.Config.Model;

[JsonConverter(typeof(JsonStringEnumConverter<DiskFormat>))]
public enum DiskFormat
{
    [JsonStringEnumMemberName("raw")]
    Raw,

    [JsonStringEnumMemberName("qcow2")]
    Qcow2,
}
