using System.Text.Json.Serialization;

namespace Domus.Config.Model;

/// <summary>
/// The controller a disk sits on, from its vdev: hd[a-d] and xvd[a-d] are the four IDE positions (as Xen
/// emulated xvda for HVM guests), sd[a-z] is SCSI, xvd[e-z] and vd[a-z] are virtio-blk.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<DiskBus>))]
public enum DiskBus
{
    [JsonStringEnumMemberName("ide")]
    Ide,

    [JsonStringEnumMemberName("scsi")]
    Scsi,

    [JsonStringEnumMemberName("virtio")]
    Virtio,
}
