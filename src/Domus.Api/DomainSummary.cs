namespace Domus.Api;

/// <summary>
/// One domain as <c>domus list</c> shows it. <see cref="State"/> holds xl's six letters (r b p s c d);
/// <see cref="Status"/> says the same in a word.
/// </summary>
public sealed record DomainSummary
{
    public required int Id { get; init; }

    public required string Name { get; init; }

    public required Guid Uuid { get; init; }

    public required string State { get; init; }

    public required string Status { get; init; }

    public required long MemoryMib { get; init; }

    public required int Vcpus { get; init; }

    public required double CpuTimeSeconds { get; init; }

    public required double UptimeSeconds { get; init; }

    public required string DeviceModel { get; init; }

    public required int? DeviceModelPid { get; init; }

    public required string Accelerator { get; init; }

    public required string AcceleratorReason { get; init; }

    public required int? VncPort { get; init; }

    public required bool HasConsole { get; init; }

    public required string? ConfigPath { get; init; }

    /// <summary>Why the domain crashed, when it did.</summary>
    public required string? CrashReason { get; init; }
}
