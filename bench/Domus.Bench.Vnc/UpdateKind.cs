namespace Domus.Bench.Vnc;

/// <summary>What the client asks for, again and again.</summary>
public enum UpdateKind
{
    /// <summary>Non-incremental requests for the whole screen: every update is the whole picture.</summary>
    FullScreen,

    /// <summary>Incremental requests for the whole screen while the line changes: every update is what changed.</summary>
    OneLine,
}
