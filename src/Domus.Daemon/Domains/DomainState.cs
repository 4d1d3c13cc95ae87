namespace Domus.Daemon.Domains;

/// <summary>Where a domain is in its life, as domusd records it.</summary>
public enum DomainState
{
    /// <summary>Its vCPUs run (xl shows r or b, by whether a vCPU is on a CPU right now).</summary>
    Running,

    /// <summary>Paused by the administrator (p).</summary>
    Paused,

    /// <summary>The guest shut down or rebooted and on_poweroff/on_reboot said preserve (s).</summary>
    Shutdown,

    /// <summary>The guest or its device model crashed and on_crash said preserve (c).</summary>
    Crashed,

    /// <summary>Being torn down (d).</summary>
    Dying,
}
