using System.Text.Json.Serialization;

namespace Domus.Config.Model;

[JsonConverter(typeof(JsonStringEnumConverter<DiskDeviceType>))]
public enum DiskDeviceType
{
    [JsonStringEnumMemberName("disk")]
    Disk,

    [JsonStringEnumMemberName("cdrom")]
    Cdrom,
}
