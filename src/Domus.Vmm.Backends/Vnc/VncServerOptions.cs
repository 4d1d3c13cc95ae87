using System.Net;
using Domus.Vmm.Backends.Input;

namespace Domus.Vmm.Backends.Vnc;

/// <summary>How a domain's VNC server listens and behaves, from its <c>vnclisten</c>, <c>vncdisplay</c>, <c>vncpasswd</c> and <c>keymap</c>.</summary>
public sealed record VncServerOptions
{
    public required IPEndPoint Endpoint { get; init; }

    /// <summary>The VNC password; null or empty lets clients in without one (security type None).</summary>
    public string? Password { get; init; }

    public string DesktopName { get; init; } = "domus";

    public Keymap Keymap { get; init; } = Keymap.ForLayout("en-us");

    /// <summary>How often the screen is captured for waiting incremental requests (and at most how often per client).</summary>
    public TimeSpan UpdateInterval { get; init; } = TimeSpan.FromMilliseconds(30);

    /// <summary>How long a client may take from connecting to the end of its handshake.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public int MaxClients { get; init; } = 16;

    /// <summary>Where the server reports a client it dropped and why (misbehaviour, refused password).</summary>
    public Action<string>? Log { get; init; }
}
