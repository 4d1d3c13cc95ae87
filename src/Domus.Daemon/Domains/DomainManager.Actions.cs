using Domus.Config.Normalization;
using Domus.DeviceModels;

namespace Domus.Daemon.Domains;

/// <summary>The xm/xl verbs on a domain: shutdown, reboot, destroy, pause, unpause, rename.</summary>
public sealed partial class DomainManager
{
    /// <summary>Presses the ACPI power button; with <paramref name="wait"/>, returns once the guest has shut down.</summary>
    public async Task ShutdownAsync(Domain domain, bool wait, CancellationToken cancellationToken)
    {
        var (changed, started) = await WithRunningSessionAsync(domain, "shut down", async session =>
        {
            await session.PressPowerButtonAsync(cancellationToken);
            return (domain.NextChange(), domain.Record.StartedAt);
        }, cancellationToken);

        // Done when the domain is gone, preserved as shut down or crashed, or (on_poweroff = restart) running anew.
        while (wait && !domain.Removed && domain.Record.State is not (DomainState.Shutdown or DomainState.Crashed) && domain.Record.StartedAt == started)
        {
            await changed.WaitAsync(cancellationToken);
            changed = domain.NextChange();
        }
    }

    /// <summary>
    /// Asks the guest to reboot with Ctrl-Alt-Del, which every PC operating system understands; with
    /// <paramref name="force"/>, resets the machine at once. Either way on_reboot is not consulted for a forced reset.
    /// </summary>
    public Task RebootAsync(Domain domain, bool force, CancellationToken cancellationToken) =>
        WithRunningSessionAsync(domain, "reboot", async session =>
        {
            if (force)
            {
                await RestartMachineAsync(domain, alive: true, cancellationToken);
            }
            else
            {
                await session.SendCtrlAltDelAsync(cancellationToken);
            }

            return true;
        }, cancellationToken);

    /// <summary>Pulls the plug, whatever the domain's state.</summary>
    public async Task DestroyAsync(Domain domain, CancellationToken cancellationToken)
    {
        await domain.Gate.WaitAsync(cancellationToken);
        try
        {
            if (!domain.Removed)
            {
                await TearDownAsync(domain, remove: true);
            }
        }
        finally
        {
            domain.Gate.Release();
        }
    }

    public Task PauseAsync(Domain domain, CancellationToken cancellationToken) =>
        ChangeRunStateAsync(domain, "pause", DomainState.Paused, session => session.PauseAsync(cancellationToken), cancellationToken);

    public Task UnpauseAsync(Domain domain, CancellationToken cancellationToken) =>
        ChangeRunStateAsync(domain, "unpause", DomainState.Running, session => session.ResumeAsync(cancellationToken), cancellationToken);

    private Task ChangeRunStateAsync(Domain domain, string verb, DomainState state, Func<IDeviceModelSession, Task> change, CancellationToken cancellationToken) =>
        WithRunningSessionAsync(domain, verb, async session =>
        {
            await change(session);
            domain.Update(r => r with { State = state });
            store.Save(domain.Record);
            return true;
        }, cancellationToken);

    public async Task RenameAsync(Domain domain, string name, CancellationToken cancellationToken)
    {
        if (DomainName.Problem(name) is { } problem)
        {
            throw new DomainOperationException($"name: {problem}");
        }

        await _createLock.WaitAsync(cancellationToken);
        try
        {
            EnsureNameIsFree(name, except: domain);
            await domain.Gate.WaitAsync(cancellationToken);
            try
            {
                domain.Update(r => r with { Config = r.Config with { Name = name } });
                store.Save(domain.Record);
            }
            finally
            {
                domain.Gate.Release();
            }
        }
        finally
        {
            _createLock.Release();
        }
    }

    /// <summary>Runs <paramref name="action"/> under the domain's gate, when it has a live device model and is not stopped.</summary>
    private static async Task<T> WithRunningSessionAsync<T>(Domain domain, string verb, Func<IDeviceModelSession, Task<T>> action, CancellationToken cancellationToken)
    {
        await domain.Gate.WaitAsync(cancellationToken);
        try
        {
            if (domain.Removed)
            {
                throw DomainOperationException.NotFound(domain.Name);
            }

            if (domain.Record.State is not (DomainState.Running or DomainState.Paused) || domain.Session is not { } session)
            {
                throw DomainOperationException.Conflict($"{domain.Name} is {domain.Record.State.ToString().ToLowerInvariant()}; it cannot {verb}");
            }

            try
            {
                return await action(session);
            }
            catch (DeviceModelException e)
            {
                throw new DomainOperationException(e.Message);
            }
        }
        finally
        {
            domain.Gate.Release();
        }
    }
}
