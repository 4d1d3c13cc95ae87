using System.Text.Json.Serialization;

namespace Domus.Config.Model;

/// <summary>
/// xl's vif <c>type</c>: <c>ioemu</c> is an emulated card; <c>vif</c> asked Xen for a paravirtual
/// netfront, whose counterpart under KVM is virtio-net.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<NicType>))]
public enum NicType
{
    [JsonStringEnumMemberName("ioemu")]
    Ioemu,

    [JsonStringEnumMemberName("vif")]
    Vif,
}
