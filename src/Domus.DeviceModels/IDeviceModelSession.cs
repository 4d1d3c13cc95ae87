using Domus.Config.Model;
using Domus.Platform;
using System.Threading.Channels;

namespace Domus.DeviceModels;

/// <summary>
/// domusd's handle on one running device model. Closing the session leaves the device model running (as it
/// must when domusd stops); <see cref="KillAsync"/> ends it.
/// </summary>
public interface IDeviceModelSession : IAsyncDisposable
{
    ProcessIdentity Process { get; }

    ChannelReader<DeviceModelEvent> Events { get; }

    Task ResumeAsync(CancellationToken cancellationToken);

    Task PauseAsync(CancellationToken cancellationToken);

    /// <summary>Presses the ACPI power button.</summary>
    Task PressPowerButtonAsync(CancellationToken cancellationToken);

    /// <summary>Sends Ctrl-Alt-Del, which a PC's operating system takes as a request to reboot.</summary>
    Task SendCtrlAltDelAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Whether the device model resets the machine itself when the guest reboots (see
    /// <see cref="Domus.Config.Model.DomainConfig.RebootsInPlace"/>); only then does <see cref="RestartAsync"/> work.
    /// </summary>
    bool RebootsInPlace { get; }

    /// <summary>Resets the machine, as the reset button does, and runs it from its firmware again.</summary>
    Task RestartAsync(CancellationToken cancellationToken);

    /// <summary>Writes the guest's memory to an ELF core file (on_crash = coredump-*).</summary>
    Task DumpMemoryAsync(string path, CancellationToken cancellationToken);

    /// <summary>
    /// Closes the domain's disk images, so that another device model can open them, and keeps the machine and its
    /// memory; the guest's disk I/O fails from then on.
    /// </summary>
    Task ReleaseDisksAsync(CancellationToken cancellationToken);

    Task<DeviceModelStatus> QueryStatusAsync(CancellationToken cancellationToken);

    /// <summary>The VNC port the screen is served on, or null.</summary>
    Task<int?> QueryVncPortAsync(CancellationToken cancellationToken);

    /// <summary>Writes the guest's screen, as it is now, to <paramref name="path"/> as a PNG image.</summary>
    Task ScreenshotAsync(string path, CancellationToken cancellationToken);

    /// <summary>Plugs a network card on <paramref name="tap"/> into the running machine (PCI hotplug).</summary>
    Task AttachNicAsync(VifConfig vif, string tap, CancellationToken cancellationToken);

    /// <summary>
    /// Asks the guest to let go of a network card (ACPI eject) and removes it once it has, within
    /// <paramref name="timeout"/>; a guest without PCI hotplug keeps it, and that is an error.
    /// </summary>
    Task DetachNicAsync(VifConfig vif, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>Stops the device model: politely, then by force after <paramref name="grace"/>.</summary>
    Task KillAsync(TimeSpan grace, CancellationToken cancellationToken);
}
