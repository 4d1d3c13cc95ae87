using Domus.Platform;
using Domus.Config.Model;
using Domus.Daemon.Domains;
using Domus.DeviceModels;

namespace Domus.Daemon.Store;

/// <summary>What domusd keeps of a domain across its own restarts.</summary>
public sealed record DomainRecord
{
    public required int Id { get; init; }

    public required DomainConfig Config { get; init; }

    public required string? ConfigPath { get; init; }

    public required string? VncPassword { get; init; }

    public required DomainState State { get; init; }

    public required ProcessIdentity? DeviceModelProcess { get; init; }

    public required AcceleratorChoice Accelerator { get; init; }

    public required IReadOnlyList<string> Taps { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public required string? CrashReason { get; init; }

    public string Name => Config.Name;
}
