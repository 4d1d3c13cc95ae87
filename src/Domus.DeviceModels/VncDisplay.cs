using Domus.Config.Model;

namespace Domus.DeviceModels;

/// <summary>
/// Where a domain's VNC server listens, as xm's <c>vnclisten</c>, <c>vncdisplay</c> and <c>vncunused</c> say, for
/// either device model: display <c>vncdisplay</c>, else the domain's id; with <c>vncunused</c> and no display, the
/// first free display from 0 up to <see cref="LastSearched"/>, as QEMU's <c>to=99</c> searches.
/// </summary>
public readonly record struct VncDisplay(string Listen, int Number, bool SearchesForFree)
{
    public const int BasePort = 5900, LastSearched = 99;

    public static VncDisplay Of(VncConfig vnc, int domainId) =>
        new(vnc.Listen, vnc.Display ?? (vnc.Unused ? 0 : domainId), vnc.Display is null && vnc.Unused);

    /// <summary>The listen address as it goes before <c>:PORT</c>: an IPv6 address in brackets.</summary>
    public string Host => Listen.Contains(':') ? $"[{Listen}]" : Listen;

    public int Port => BasePort + Number;

    public static int LastSearchedPort => BasePort + LastSearched;
}
