namespace Domus.Config.Model;

/// <summary>One network card and the host bridge its tap device joins.</summary>
public sealed record VifConfig
{
    public required MacAddress Mac { get; init; }

    /// <summary>True when the MAC was generated because the vif named none.</summary>
    public required bool MacGenerated { get; init; }

    public required string Bridge { get; init; }

    public required NicModel Model { get; init; }

    public required NicType Type { get; init; }

    public IReadOnlyList<string> Ip { get; init; } = [];

    public string? Vifname { get; init; }

    public RateLimit? Rate { get; init; }

    public string? Script { get; init; }
}
