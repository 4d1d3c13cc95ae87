using System.Text.Json.Serialization;

namespace Domus.Config.Model;

/// <summary>How the QEMU device model runs guest code: probed (<c>auto</c>), KVM, or TCG emulation.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Accelerator>))]
public enum Accelerator
{
    [JsonStringEnumMemberName("auto")]
    Auto,

    [JsonStringEnumMemberName("kvm")]
    Kvm,

    [JsonStringEnumMemberName("tcg")]
    Tcg,
}
