namespace Domus.Api;

/// <summary>The host as <c>domus info</c> shows it; also the figures of Domain-0 in <c>domus list</c>.</summary>
public sealed record HostInfo
{
    public required string Hostname { get; init; }

    public required string Kernel { get; init; }

    public required int Cpus { get; init; }

    public required long MemoryMib { get; init; }

    public required long FreeMemoryMib { get; init; }

    public required double CpuTimeSeconds { get; init; }

    public required double UptimeSeconds { get; init; }

    public required string Accelerator { get; init; }

    public required string AcceleratorReason { get; init; }

    public required string? QemuVersion { get; init; }

    public required string DomusVersion { get; init; }

    public required int Domains { get; init; }
}
