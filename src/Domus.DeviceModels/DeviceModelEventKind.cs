namespace Domus.DeviceModels;

public enum DeviceModelEventKind
{
    /// <summary>The guest powered itself off; the machine is stopped, waiting for domusd's on_poweroff.</summary>
    PoweredOff,

    /// <summary>The guest rebooted; the machine is stopped, waiting for domusd's on_reboot.</summary>
    Rebooted,

    /// <summary>The guest rebooted and the device model reset the machine itself (on_reboot = restart); it runs on.</summary>
    RebootedInPlace,

    /// <summary>The guest crashed (a guest panic, or a vCPU the device model could not continue).</summary>
    Crashed,

    Paused,

    Resumed,

    /// <summary>The device model process has ended.</summary>
    Exited,
}
