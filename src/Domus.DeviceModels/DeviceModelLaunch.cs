using Domus.Config.Model;

namespace Domus.DeviceModels;

/// <summary>Everything a device model needs to start one domain; the domain starts paused.</summary>
public sealed record DeviceModelLaunch
{
    public required DomainConfig Config { get; init; }

    public required int DomainId { get; init; }

    public required DomainPaths Paths { get; init; }

    public required AcceleratorChoice Accelerator { get; init; }

    /// <summary>The host tap device of each vif, in order.</summary>
    public required IReadOnlyList<string> Taps { get; init; }

    /// <summary>The host's clock at start, from which the guest's real-time clock is set.</summary>
    public required DateTimeOffset Now { get; init; }
}
