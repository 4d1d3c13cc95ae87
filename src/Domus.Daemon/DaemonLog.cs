using Domus.Config.Model;
using Domus.Daemon.Domains;

namespace Domus.Daemon;

/// <summary>domusd's log messages, generated so that a disabled level costs nothing.</summary>
public static partial class DaemonLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Accelerator: {Accelerator} ({Reason})")]
    public static partial void AcceleratorChosen(this ILogger log, string accelerator, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Domain {Id} ({Name}) started: {DeviceModel} pid {Pid}, {Accelerator}")]
    public static partial void DomainStarted(this ILogger log, int id, string name, DeviceModelKind deviceModel, int pid, string accelerator);

    [LoggerMessage(Level = LogLevel.Information, Message = "Domain {Id} ({Name}): {Event}; applying {Action}")]
    public static partial void DomainStopped(this ILogger log, int id, string name, string @event, LifecycleAction action);

    [LoggerMessage(Level = LogLevel.Information, Message = "Domain {Id} ({Name}) is gone")]
    public static partial void DomainRemoved(this ILogger log, int id, string name);

    [LoggerMessage(Level = LogLevel.Information, Message = "Domain {Id} ({Name}) found again: {State}")]
    public static partial void DomainRecovered(this ILogger log, int id, string name, DomainState state);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Domain {Id} ({Name}): {Problem}")]
    public static partial void DomainProblem(this ILogger log, int id, string name, string problem);

    [LoggerMessage(Level = LogLevel.Error, Message = "Domain {Id} ({Name}): handling {Event} failed")]
    public static partial void LifecycleFailed(this ILogger log, Exception exception, int id, string name, string @event);

    [LoggerMessage(Level = LogLevel.Information, Message = "Network {Name} is up")]
    public static partial void NetworkRecovered(this ILogger log, string name);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Network {Name}: {Problem}")]
    public static partial void NetworkProblem(this ILogger log, string name, string problem);
}
