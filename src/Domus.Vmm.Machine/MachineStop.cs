namespace Domus.Vmm.Machine;

/// <summary>Why the machine stopped: what domusd turns into on_poweroff, on_reboot or on_crash.</summary>
public enum MachineStopKind
{
    PoweredOff,
    Reset,
    Crashed,
    Stopped,
}
