using Domus.Config;
using Domus.Config.Diagnostics;
using Domus.Config.Json;
using Domus.Platform;
using Domus.Api;
using Domus.Daemon.Host;
using Domus.DeviceModels;

namespace Domus.Daemon.Domains;

/// <summary>Domains as the API shows them: xl's state letters, CPU time of the vCPU threads, uptime.</summary>
public sealed class DomainViews(AcceleratorService accelerators, TimeProvider time)
{
    /// <summary>A domain's summary, from its record and /proc alone: listing domains never waits for a device model.</summary>
    public DomainSummary Summary(Domain domain)
    {
        var record = domain.Record;
        var live = record.State is DomainState.Running or DomainState.Paused;
        var pid = record.DeviceModelProcess?.Pid;
        var (cpuSeconds, onCpu) = pid is { } p && live ? HostFacts.ThreadTimes(p, domain.VcpuThreads) : (0, false);
        var (letters, word) = record.State switch
        {
            DomainState.Running when onCpu => ("r-----", "running"),
            DomainState.Running => ("-b----", "running"),
            DomainState.Paused => ("--p---", "paused"),
            DomainState.Shutdown => ("---s--", "shutdown"),
            DomainState.Crashed => ("----c-", "crashed"),
            _ => ("-----d", "dying"),
        };
        return new DomainSummary
        {
            Id = domain.Id,
            Name = domain.Name,
            Uuid = record.Config.Uuid,
            State = letters,
            Status = word,
            MemoryMib = record.Config.MemoryMib,
            Vcpus = record.Config.Vcpus,
            CpuTimeSeconds = cpuSeconds,
            UptimeSeconds = live ? (time.GetUtcNow() - record.StartedAt).TotalSeconds : 0,
            DeviceModel = record.Config.DeviceModel.Kind.ToString().ToLowerInvariant(),
            DeviceModelPid = pid,
            Accelerator = record.Accelerator.Name,
            AcceleratorReason = record.Accelerator.Reason,
            VncPort = live ? domain.VncPort : null,
            HasConsole = domain.Console is not null,
            ConfigPath = record.ConfigPath,
            CrashReason = record.CrashReason,
        };
    }

    /// <summary>The domain's NICs in vif order; a tap only while the device model runs.</summary>
    public static List<VifSummary> Vifs(Domain domain)
    {
        var record = domain.Record;
        return record.Config.Vifs.Select((vif, i) => new VifSummary(
            i, vif.Mac.ToString(), vif.Bridge, JsonEnumSpelling.Of(vif.Model), i < record.Taps.Count ? record.Taps[i] : null)).ToList();
    }

    /// <summary>
    /// The domain's configuration file as it is now, with what loading it reports (as <c>domus create -n</c> does). The
    /// path came from whoever created the domain, so domusd (root) reads it only if it is a file (not a link) of a size
    /// a configuration has, in the managed directory that the wizard writes: never any file a client names.
    /// </summary>
    public static ConfigFileView ConfigFile(Domain domain, string managedDirectory)
    {
        if (domain.Record.ConfigPath is not { } path)
        {
            return new ConfigFileView(null, null, []);
        }

        var file = new FileInfo(path);
        if (file.LinkTarget is not null || !file.Exists || file.Length > DomainConfigLoader.MaxFileBytes
            || Path.GetDirectoryName(Path.GetFullPath(path)) != Path.GetFullPath(managedDirectory))
        {
            return new ConfigFileView(path, null, [new ConfigProblem("warning", 0, 0, $"not shown: domusd shows the files of its managed directory {managedDirectory} only")]);
        }

        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new ConfigFileView(path, null, [new ConfigProblem("error", 0, 0, $"cannot read the file now: {e.Message}")]);
        }

        IReadOnlyList<Diagnostic> diagnostics;
        try
        {
            diagnostics = DomainConfigLoader.LoadFile(path, []).Warnings;
        }
        catch (ConfigException e)
        {
            diagnostics = e.Errors;
        }

        return new ConfigFileView(path, text, [.. diagnostics.Select(d => new ConfigProblem(
            d.Severity == Severity.Warning ? "warning" : "error",
            d.Location.Source == path ? d.Location.Line : 0,
            d.Location.Source == path ? d.Location.Column : 0,
            d.Message))]);
    }

    public async Task<HostInfo> HostAsync(int domains, CancellationToken cancellationToken)
    {
        var (total, available) = HostFacts.Memory();
        var accelerator = await accelerators.HostChoiceAsync(cancellationToken);
        return new HostInfo
        {
            Hostname = HostFacts.Hostname,
            Kernel = HostFacts.Kernel,
            Cpus = HostFacts.Cpus,
            MemoryMib = total,
            FreeMemoryMib = available,
            CpuTimeSeconds = HostFacts.BusyCpuSeconds(),
            UptimeSeconds = HostFacts.UptimeSeconds(),
            Accelerator = accelerator.Name,
            AcceleratorReason = accelerator.Reason,
            QemuVersion = await QemuVersionAsync(cancellationToken),
            DomusVersion = typeof(DomainViews).Assembly.GetName().Version?.ToString() ?? "0",
            Domains = domains,
        };
    }

    private string? _qemuVersion;

    private async Task<string?> QemuVersionAsync(CancellationToken cancellationToken)
    {
        if (_qemuVersion is null && ProgramLocator.Find(DeviceModels.Qemu.QemuCommandLine.DefaultProgram) is { } qemu)
        {
            var (exit, output) = await HostCommand.RunAsync(qemu, ["--version"], cancellationToken);
            _qemuVersion = exit == 0 ? output.Split('\n')[0] : null;
        }

        return _qemuVersion;
    }
}
