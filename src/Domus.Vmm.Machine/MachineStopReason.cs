namespace Domus.Vmm.Machine;

/// <summary>The stop, with a detail for the log: for a crash, the vCPU, its RIP and the instruction bytes there.</summary>
public sealed record MachineStopReason(MachineStopKind Kind, string Detail, int ExitCode = 0)
{
    /// <summary>The exception of a device that failed, for the log's stack trace.</summary>
    public Exception? Fault { get; init; }
}
