namespace Domus.Config.Model;

/// <summary>
/// The domain's VNC server. <see cref="Display"/> null means "pick one" (with <see cref="Unused"/>, the first
/// free port from 5900). The password itself is kept out of printed output; <see cref="PasswordSet"/> tells
/// whether there is one.
/// </summary>
public sealed record VncConfig
{
    public required bool Enabled { get; init; }

    public required string Listen { get; init; }

    public required int? Display { get; init; }

    public required bool Unused { get; init; }

    public required bool PasswordSet { get; init; }

    /// <summary>Start a viewer on the screen when the domain starts (xm's vncviewer / vncconsole).</summary>
    public required bool Viewer { get; init; }

    public required string Keymap { get; init; }

    [System.Text.Json.Serialization.JsonIgnore]
    public string? Password { get; init; }
}
