using Domus.Config.Evaluation;
using Domus.Config.Model;

namespace Domus.Config.Normalization;

/// <summary>
/// <c>on_poweroff</c>, <c>on_reboot</c>, <c>on_crash</c>, and xm's deprecated <c>restart</c> shorthand for the
/// three. Defaults are xl's: destroy, restart, destroy.
/// </summary>
public static class LifecycleSection
{
    public static (LifecycleAction OnPoweroff, LifecycleAction OnReboot, LifecycleAction OnCrash) Read(SettingsReader reader)
    {
        var (poweroff, reboot, crash) = ReadRestart(reader);
        if (reader.Has("on_poweroff") && reader.Has("on_reboot") && reader.Has("on_crash"))
        {
            // restart only stands in for the on_* keys a file does not give.
            reader.Supersede("restart", "on_poweroff, on_reboot and on_crash");
        }

        return (
            ReadAction(reader, "on_poweroff") ?? poweroff,
            ReadAction(reader, "on_reboot") ?? reboot,
            ReadAction(reader, "on_crash") ?? crash);
    }

    private static (LifecycleAction, LifecycleAction, LifecycleAction) ReadRestart(SettingsReader reader)
    {
        const LifecycleAction destroy = LifecycleAction.Destroy;
        const LifecycleAction restart = LifecycleAction.Restart;
        switch (reader.GetString("restart"))
        {
            case null:
            case { Value: "onreboot" }:
                return (destroy, restart, destroy);
            case { Value: "always" }:
                return (restart, restart, restart);
            case { Value: "never" }:
                return (destroy, destroy, destroy);
            case var other:
                reader.Error("restart", other, $"unknown value '{other.Value}' (onreboot, always, never)");
                return (destroy, restart, destroy);
        }
    }

    private static LifecycleAction? ReadAction(SettingsReader reader, string key)
    {
        if (reader.GetString(key) is not StringValue value)
        {
            return null;
        }

        LifecycleAction? action = value.Value switch
        {
            "destroy" => LifecycleAction.Destroy,
            "restart" => LifecycleAction.Restart,
            "preserve" => LifecycleAction.Preserve,
            "rename-restart" => LifecycleAction.RenameRestart,
            "coredump-destroy" => LifecycleAction.CoredumpDestroy,
            "coredump-restart" => LifecycleAction.CoredumpRestart,
            _ => null,
        };
        if (action is null)
        {
            reader.Error(key, value, $"unknown action '{value.Value}' (destroy, restart, preserve, rename-restart, coredump-destroy, coredump-restart)");
        }

        return action;
    }
}
