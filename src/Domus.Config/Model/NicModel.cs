using System.Text.Json.Serialization;

namespace Domus.Config.Model;

/// <summary>The emulated network card. Xen 3.0's qemu-dm gave HVM guests an AMD PCnet unless told otherwise.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<NicModel>))]
public enum NicModel
{
    [JsonStringEnumMemberName("pcnet")]
    Pcnet,

    [JsonStringEnumMemberName("ne2k_pci")]
    Ne2kPci,

    [JsonStringEnumMemberName("rtl8139")]
    Rtl8139,

    [JsonStringEnumMemberName("e1000")]
    E1000,

    [JsonStringEnumMemberName("virtio-net")]
    VirtioNet,
}
