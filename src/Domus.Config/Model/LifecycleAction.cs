using System.Text.Json.Serialization;

namespace Domus.Config.Model;

/// <summary>What happens when a domain powers off, reboots or crashes (xl.cfg on_poweroff/on_reboot/on_crash).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<LifecycleAction>))]
public enum LifecycleAction
{
    [JsonStringEnumMemberName("destroy")]
    Destroy,

    [JsonStringEnumMemberName("restart")]
    Restart,

    [JsonStringEnumMemberName("preserve")]
    Preserve,

    [JsonStringEnumMemberName("rename-restart")]
    RenameRestart,

    [JsonStringEnumMemberName("coredump-destroy")]
    CoredumpDestroy,

    [JsonStringEnumMemberName("coredump-restart")]
    CoredumpRestart,
}
