using Domus.Api;
using Domus.Config.Model;
using Domus.DeviceModels;

namespace Domus.Daemon.Domains;

/// <summary>What domusd does when a guest powers off, reboots or crashes, or its device model dies.</summary>
public sealed partial class DomainManager
{
    /// <summary>A domain that restarts this often within <see cref="RestartWindow"/> is left crashed, as Xen did.</summary>
    public const int RestartLimit = 5;

    public static readonly TimeSpan RestartWindow = TimeSpan.FromSeconds(60);

    private async Task MonitorAsync(Domain domain, IDeviceModelSession session)
    {
        await foreach (var e in session.Events.ReadAllAsync())
        {
            if (e.Kind is DeviceModelEventKind.Paused or DeviceModelEventKind.Resumed)
            {
                continue;
            }

            try
            {
                await domain.Gate.WaitAsync(_stopping.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                if (domain.Session != session || domain.Removed || (e.Kind == DeviceModelEventKind.Exited && domain.ExitExpected))
                {
                    return;
                }

                if (e.Kind == DeviceModelEventKind.RebootedInPlace)
                {
                    await HandleRebootInPlaceAsync(domain, session, e);
                }
                else
                {
                    await HandleStopAsync(domain, e);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                log.LifecycleFailed(ex, domain.Id, domain.Name, e.Detail);
            }
            finally
            {
                domain.Gate.Release();
            }
        }
    }

    /// <summary>Applies on_poweroff, on_reboot or on_crash. The caller holds the domain's gate.</summary>
    private async Task HandleStopAsync(Domain domain, DeviceModelEvent e)
    {
        var config = domain.Record.Config;
        var (action, crashed) = e.Kind switch
        {
            DeviceModelEventKind.PoweredOff => (config.OnPoweroff, false),
            DeviceModelEventKind.Rebooted => (config.OnReboot, false),
            _ => (config.OnCrash, true),
        };
        log.DomainStopped(domain.Id, domain.Name, e.Detail, action);
        var alive = e.Kind != DeviceModelEventKind.Exited && domain.Session is not null && domain.Session.Process.IsAlive;
        if (action is LifecycleAction.CoredumpDestroy or LifecycleAction.CoredumpRestart)
        {
            await DumpCoreAsync(domain, alive);
        }

        switch (action)
        {
            case LifecycleAction.Destroy or LifecycleAction.CoredumpDestroy:
                await TearDownAsync(domain, remove: true);
                break;
            case LifecycleAction.Restart or LifecycleAction.CoredumpRestart:
                await RestartAsync(domain, alive, e.Detail);
                break;
            case LifecycleAction.Preserve:
                Preserve(domain, crashed, e.Detail);
                break;
            case LifecycleAction.RenameRestart:
                await RenameRestartAsync(domain, alive, crashed, e.Detail);
                break;
        }
    }

    /// <summary>The device model already restarted the guest; domusd records it and stops a reboot loop.</summary>
    private async Task HandleRebootInPlaceAsync(Domain domain, IDeviceModelSession session, DeviceModelEvent e)
    {
        log.DomainStopped(domain.Id, domain.Name, e.Detail, LifecycleAction.Restart);
        if (!domain.AllowRestart(time.GetUtcNow(), RestartLimit, RestartWindow))
        {
            await session.PauseAsync(_stopping.Token);
            Preserve(domain, crashed: true, $"{e.Detail}; rebooted {RestartLimit} times within {RestartWindow.TotalSeconds} s, so it is paused");
            return;
        }

        MarkRestarted(domain);
    }

    private async Task RestartAsync(Domain domain, bool alive, string cause)
    {
        if (!domain.AllowRestart(time.GetUtcNow(), RestartLimit, RestartWindow))
        {
            Preserve(domain, crashed: true, $"{cause}; restarted {RestartLimit} times within {RestartWindow.TotalSeconds} s, so it is left stopped");
            return;
        }

        try
        {
            await RestartMachineAsync(domain, alive, _stopping.Token);
        }
        catch (DomainOperationException ex)
        {
            Preserve(domain, crashed: true, $"{cause}; the restart failed: {ex.Message}");
        }
    }

    /// <summary>
    /// Runs the domain from its firmware again: a reset of the live device model where it can (see
    /// <see cref="IDeviceModelSession.RebootsInPlace"/>), otherwise a fresh one. The caller holds the domain's gate.
    /// </summary>
    private async Task RestartMachineAsync(Domain domain, bool alive, CancellationToken cancellationToken)
    {
        if (alive && domain.Session is { RebootsInPlace: true } session)
        {
            await session.RestartAsync(cancellationToken);
            MarkRestarted(domain);
            return;
        }

        await TearDownAsync(domain, remove: false);
        await StartDeviceModelAsync(domain, paused: false, isNew: false, cancellationToken);
    }

    private void MarkRestarted(Domain domain)
    {
        domain.Update(r => r with { State = DomainState.Running, StartedAt = time.GetUtcNow(), CrashReason = null });
        store.Save(domain.Record);
    }

    private void Preserve(Domain domain, bool crashed, string cause)
    {
        domain.Update(r => r with { State = crashed ? DomainState.Crashed : DomainState.Shutdown, CrashReason = crashed ? cause : null });
        store.Save(domain.Record);
    }

    /// <summary>
    /// Keeps the stopped domain under a new name, NAME-ID (NAME-ID-2 and so on if a domain has that name), and starts
    /// a fresh one under the old name. The kept one lets go of its disks and taps, which the new one takes (a vif's
    /// vifname names the same tap). A new domain that cannot start leaves the kept one crashed, with the reason.
    /// </summary>
    private async Task RenameRestartAsync(Domain domain, bool alive, bool crashed, string cause)
    {
        var original = domain.Record;
        var preservedName = FreeName($"{original.Name}-{original.Id}");
        domain.Update(r => r with { Config = r.Config with { Name = preservedName } });
        Preserve(domain, crashed, cause);
        if (alive)
        {
            await ReleaseDisksAsync(domain);
        }

        await UnplugTapsAsync(domain);

        try
        {
            await CreateAsync(new CreateDomainRequest(original.Config, original.ConfigPath, Paused: false, original.VncPassword), _stopping.Token);
        }
        catch (DomainOperationException ex)
        {
            var failure = $"rename-restart could not start a new {original.Name}: {ex.Message}";
            log.DomainProblem(domain.Id, preservedName, failure);
            Preserve(domain, crashed: true, $"{cause}; {failure}");
        }
    }

    private string FreeName(string name)
    {
        lock (_registryLock)
        {
            var taken = _domains.Values.Select(d => d.Name).ToHashSet(StringComparer.Ordinal);
            var free = name;
            for (var n = 2; taken.Contains(free); n++)
            {
                free = $"{name}-{n}";
            }

            return free;
        }
    }

    /// <summary>The kept domain's cards leave their bridges: it is stopped, and the new domain's cards take the taps' names.</summary>
    private async Task UnplugTapsAsync(Domain domain)
    {
        foreach (var tap in domain.Record.Taps)
        {
            await taps.DeleteAsync(tap, CancellationToken.None);
        }

        domain.Update(r => r with { Taps = [] });
        store.Save(domain.Record);
    }

    /// <summary>
    /// The new domain opens the same disk images, which QEMU locks while it has them open for writing. The kept
    /// domain's device model closes them and keeps its memory, for inspection, which is what rename-restart keeps the
    /// domain for; one that cannot (domus-dm has no such command) is ended, and the domain's record and logs are kept.
    /// </summary>
    private async Task ReleaseDisksAsync(Domain domain)
    {
        try
        {
            await domain.Session!.ReleaseDisksAsync(_stopping.Token);
        }
        catch (DeviceModelException ex)
        {
            log.DomainProblem(domain.Id, domain.Name, $"the device model is ended, as it could not let go of the disks: {ex.Message}");
            await TearDownAsync(domain, remove: false);
        }
    }

    private async Task DumpCoreAsync(Domain domain, bool alive)
    {
        if (!alive)
        {
            log.DomainProblem(domain.Id, domain.Name, "no core dump: the device model is gone");
            return;
        }

        var directory = Path.Combine(locations.StateDirectory, "dumps");
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"{domain.Name}-{domain.Id}-{time.GetUtcNow():yyyyMMddTHHmmss}.core");
        try
        {
            await domain.Session!.DumpMemoryAsync(path, _stopping.Token);
        }
        catch (DeviceModelException ex)
        {
            log.DomainProblem(domain.Id, domain.Name, $"core dump failed: {ex.Message}");
        }
    }
}
