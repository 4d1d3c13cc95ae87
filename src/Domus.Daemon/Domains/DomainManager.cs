using Domus.Api;
using Domus.Config.Model;
using Domus.Config.Normalization;
using Domus.Daemon.Console;
using Domus.Daemon.Host;
using Domus.Daemon.Store;
using Domus.DeviceModels;

namespace Domus.Daemon.Domains;

/// <summary>
/// Owns every domain of this host: creates them, starts and watches their device models, applies
/// on_poweroff/on_reboot/on_crash, and finds running domains again when domusd restarts.
/// </summary>
public sealed partial class DomainManager(
    DomainStore store,
    DomusLocations locations,
    IReadOnlyDictionary<DeviceModelKind, IDeviceModel> deviceModels,
    AcceleratorService accelerators,
    HostValidator validator,
    TapNetwork taps,
    TimeProvider time,
    ILogger<DomainManager> log) : IAsyncDisposable
{
    private static readonly TimeSpan KillGrace = TimeSpan.FromSeconds(5);
    private readonly Lock _registryLock = new();
    private readonly Dictionary<int, Domain> _domains = [];
    private readonly SemaphoreSlim _createLock = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();

    public IReadOnlyList<Domain> Domains
    {
        get
        {
            lock (_registryLock)
            {
                return _domains.Values.OrderBy(d => d.Id).ToList();
            }
        }
    }

    /// <summary>A domain by name, or by id as xm accepted both.</summary>
    public Domain Find(string reference)
    {
        lock (_registryLock)
        {
            var byName = _domains.Values.FirstOrDefault(d => d.Name == reference);
            if (byName is not null)
            {
                return byName;
            }

            return int.TryParse(reference, out var id) && _domains.TryGetValue(id, out var byId)
                ? byId
                : throw DomainOperationException.NotFound(reference);
        }
    }

    public async Task<Domain> CreateAsync(CreateDomainRequest request, CancellationToken cancellationToken)
    {
        var config = request.Config with { Vnc = request.Config.Vnc with { Password = request.VncPassword } };
        if (DomainName.Problem(config.Name) is { } nameProblem)
        {
            throw new DomainOperationException($"name: {nameProblem}");
        }

        var problems = validator.Problems(config);
        if (problems.Count > 0)
        {
            throw new DomainOperationException(HostValidator.Join(problems));
        }

        await _createLock.WaitAsync(cancellationToken);
        try
        {
            EnsureNameIsFree(config.Name);
            EnsureMacsAreFree(config.Vifs);
            var id = store.NextDomainId();
            var now = time.GetUtcNow();
            var record = new DomainRecord
            {
                Id = id,
                Config = config,
                ConfigPath = request.ConfigPath,
                VncPassword = request.VncPassword,
                State = DomainState.Paused,
                DeviceModelProcess = null,
                Accelerator = AcceleratorChoice.Emulation("not started"),
                Taps = [],
                CreatedAt = now,
                StartedAt = now,
                CrashReason = null,
            };
            var domain = new Domain(record, PathsOf(id));

            // Held until the domain is registered, so that its monitor cannot act on it before.
            await domain.Gate.WaitAsync(cancellationToken);
            try
            {
                await StartDeviceModelAsync(domain, request.Paused, isNew: true, cancellationToken);
                lock (_registryLock)
                {
                    _domains[id] = domain;
                }
            }
            finally
            {
                domain.Gate.Release();
            }

            return domain;
        }
        finally
        {
            _createLock.Release();
        }
    }

    /// <summary>Two domains' NICs with one MAC on one bridge would steal each other's frames (the configuration refuses one domain's twice).</summary>
    private void EnsureMacsAreFree(IEnumerable<VifConfig> vifs)
    {
        var wanted = vifs.Select(v => (v.Bridge, v.Mac)).ToHashSet();
        lock (_registryLock)
        {
            // Only cards on the wire count: a domain kept shut down or crashed (rename-restart, preserve) has no taps.
            foreach (var other in _domains.Values.Where(d => d.Record.State is DomainState.Running or DomainState.Paused))
            {
                if (other.Record.Config.Vifs.FirstOrDefault(v => wanted.Contains((v.Bridge, v.Mac))) is { } taken)
                {
                    throw DomainOperationException.Conflict($"vif: MAC {taken.Mac} is already on bridge {taken.Bridge}, used by domain {other.Name} (id {other.Id})");
                }
            }
        }
    }

    private void EnsureNameIsFree(string name, Domain? except = null)
    {
        lock (_registryLock)
        {
            if (_domains.Values.FirstOrDefault(d => d.Name == name && d != except) is { } existing)
            {
                throw DomainOperationException.Conflict($"a domain named '{name}' already exists (id {existing.Id})");
            }
        }
    }

    private DomainPaths PathsOf(int id) => new(locations.DomainRuntimeDirectory(id), locations.DomainStateDirectory(id));

    /// <summary>
    /// Starts the domain's device model (for a new domain, or to restart one whose device model ended), with
    /// its taps and console, and saves it. On failure everything it set up is removed again; a domain that
    /// existed before keeps its logs.
    /// </summary>
    private async Task StartDeviceModelAsync(Domain domain, bool paused, bool isNew, CancellationToken cancellationToken)
    {
        var config = domain.Record.Config;
        var model = deviceModels.TryGetValue(config.DeviceModel.Kind, out var found)
            ? found
            : throw new DomainOperationException($"the {config.DeviceModel.Kind} device model is not available");
        var accelerator = config.DeviceModel.Kind == DeviceModelKind.Native
            ? new AcceleratorChoice(AcceleratorChoice.Kvm, "host", "domus-dm runs guests on KVM")
            : await accelerators.ForAsync(config.Accel, cancellationToken);
        domain.Paths.Create();
        var tapNames = new List<string>();
        IDeviceModelSession? session = null;
        try
        {
            for (var i = 0; i < config.Vifs.Count; i++)
            {
                var tap = TapNetwork.TapName(domain.Id, i, config.Vifs[i].Vifname);
                await taps.CreateAsync(tap, config.Vifs[i].Bridge, cancellationToken);
                tapNames.Add(tap);
            }

            session = await model.StartAsync(
                new DeviceModelLaunch { Config = config, DomainId = domain.Id, Paths = domain.Paths, Accelerator = accelerator, Taps = tapNames, Now = time.GetUtcNow() },
                cancellationToken);
            await LearnRuntimeFactsAsync(domain, session, cancellationToken);
            if (!paused)
            {
                await session.ResumeAsync(cancellationToken);
            }
        }
        catch (Exception e)
        {
            if (session is not null)
            {
                await session.KillAsync(KillGrace, CancellationToken.None);
                await session.DisposeAsync();
            }

            foreach (var tap in tapNames)
            {
                await taps.DeleteAsync(tap, CancellationToken.None);
            }

            if (isNew)
            {
                domain.Paths.Delete();
            }
            else if (Directory.Exists(domain.Paths.RuntimeDirectory))
            {
                Directory.Delete(domain.Paths.RuntimeDirectory, recursive: true);
            }

            throw e is DeviceModelException ? new DomainOperationException(e.Message) : e;
        }

        domain.Session = session;
        domain.ExitExpected = false;
        domain.Update(r => r with
        {
            State = paused ? DomainState.Paused : DomainState.Running,
            DeviceModelProcess = session.Process,
            Accelerator = accelerator,
            Taps = tapNames,
            StartedAt = time.GetUtcNow(),
            CrashReason = null,
        });
        store.Save(domain.Record);
        AttachConsole(domain);
        _ = MonitorAsync(domain, session);
        log.DomainStarted(domain.Id, domain.Name, config.DeviceModel.Kind, session.Process.Pid, accelerator.Name);
    }

    /// <summary>Asks the device model once for what does not change while it runs, so that listing domains asks it nothing.</summary>
    private static async Task<DeviceModelStatus> LearnRuntimeFactsAsync(Domain domain, IDeviceModelSession session, CancellationToken cancellationToken)
    {
        var status = await session.QueryStatusAsync(cancellationToken);
        domain.VcpuThreads = status.VcpuThreads;
        domain.VncPort = domain.Record.Config.Vnc.Enabled ? await session.QueryVncPortAsync(cancellationToken) : null;
        return status;
    }

    private static void AttachConsole(Domain domain)
    {
        if (domain.Console is null && domain.Record.Config.Serial is ["pty", ..])
        {
            domain.Console = new ConsoleRelay(domain.Paths.ConsoleSocket, domain.Paths.ConsoleLog);
        }
    }

    /// <summary>Ends the device model and frees the host resources; with <paramref name="remove"/> the domain is forgotten.</summary>
    private async Task TearDownAsync(Domain domain, bool remove)
    {
        domain.ExitExpected = true;
        if (remove)
        {
            domain.Update(r => r with { State = DomainState.Dying });
        }

        if (domain.Session is { } session)
        {
            await session.KillAsync(KillGrace, CancellationToken.None);
            await session.DisposeAsync();
            domain.Session = null;
        }
        else if (domain.Record.DeviceModelProcess is { } orphan)
        {
            orphan.Kill();
        }

        if (domain.Console is { } console)
        {
            await console.DisposeAsync();
            domain.Console = null;
        }

        foreach (var tap in domain.Record.Taps)
        {
            await taps.DeleteAsync(tap, CancellationToken.None);
        }

        if (Directory.Exists(domain.Paths.RuntimeDirectory))
        {
            Directory.Delete(domain.Paths.RuntimeDirectory, recursive: true);
        }

        if (!remove)
        {
            domain.Update(r => r with { DeviceModelProcess = null, Taps = [] });
            return;
        }

        domain.Paths.Delete();
        store.Delete(domain.Id);
        lock (_registryLock)
        {
            _domains.Remove(domain.Id);
        }

        domain.MarkRemoved();
        log.DomainRemoved(domain.Id, domain.Name);
    }

    /// <summary>
    /// Finds the domains of the store again after domusd (re)started: device models still running are
    /// reattached; those that ended while domusd was away count as crashed.
    /// </summary>
    public async Task RecoverAsync(CancellationToken cancellationToken)
    {
        foreach (var record in store.LoadAll())
        {
            var domain = new Domain(record, PathsOf(record.Id));
            lock (_registryLock)
            {
                _domains[record.Id] = domain;
            }

            await domain.Gate.WaitAsync(cancellationToken);
            try
            {
                await RecoverAsync(domain, cancellationToken);
            }
            finally
            {
                domain.Gate.Release();
            }
        }
    }

    private async Task RecoverAsync(Domain domain, CancellationToken cancellationToken)
    {
        var record = domain.Record;
        if (record.DeviceModelProcess is not { IsAlive: true } process)
        {
            if (record.State is DomainState.Running or DomainState.Paused or DomainState.Dying)
            {
                await HandleStopAsync(domain, new DeviceModelEvent(DeviceModelEventKind.Exited, "the device model ended while domusd was not running"));
            }

            return;
        }

        IDeviceModelSession session;
        try
        {
            session = await deviceModels[record.Config.DeviceModel.Kind].AttachAsync(process, record.Config, domain.Paths, cancellationToken);
        }
        catch (DeviceModelException e)
        {
            log.DomainProblem(domain.Id, domain.Name, e.Message);
            return;
        }

        domain.Session = session;
        AttachConsole(domain);
        _ = MonitorAsync(domain, session);
        var status = await LearnRuntimeFactsAsync(domain, session, cancellationToken);
        if (record.State == DomainState.Dying)
        {
            await TearDownAsync(domain, remove: true);
        }
        else if (status.RunState == "shutdown" && record.State is DomainState.Running or DomainState.Paused)
        {
            await HandleStopAsync(domain, new DeviceModelEvent(DeviceModelEventKind.PoweredOff, "the guest shut down while domusd was not running"));
        }
        else if (record.State is DomainState.Running or DomainState.Paused)
        {
            var state = status.Running ? DomainState.Running : DomainState.Paused;
            domain.Update(r => r with { State = state });
            store.Save(domain.Record);
        }

        log.DomainRecovered(domain.Id, domain.Name, domain.Record.State);
    }

    /// <summary>Lets go of every device model and leaves it running, as domusd does when it stops.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        foreach (var domain in Domains)
        {
            if (domain.Session is { } session)
            {
                await session.DisposeAsync();
            }

            if (domain.Console is { } console)
            {
                await console.DisposeAsync();
            }
        }

        _createLock.Dispose();
        _stopping.Dispose();
    }
}
