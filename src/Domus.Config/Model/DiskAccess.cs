using System.Text.Json.Serialization;

namespace Domus.Config.Model;

[JsonConverter(typeof(JsonStringEnumConverter<DiskAccess>))]
public enum DiskAccess
{
    [JsonStringEnumMemberName("ro")]
    ReadOnly,

    [JsonStringEnumMemberName("rw")]
    ReadWrite,
}
