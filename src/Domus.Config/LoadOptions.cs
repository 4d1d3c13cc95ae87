using Domus.Config.Evaluation;

namespace Domus.Config;

/// <summary>What a load needs from its surroundings; tests pin these down.</summary>
public sealed record LoadOptions
{
    public static LoadOptions Default { get; } = new();

    /// <summary>What <c>os.uname()</c> answers in the Python preamble.</summary>
    public PythonHost Host { get; init; } = PythonHost.Current;

    /// <summary>Where a domain without a <c>uuid</c> gets one.</summary>
    public Func<Guid> NewUuid { get; init; } = Guid.NewGuid;
}
