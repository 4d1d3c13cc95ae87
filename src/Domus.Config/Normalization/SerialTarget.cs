using System.Text.RegularExpressions;

namespace Domus.Config.Normalization;

/// <summary>
/// A <c>serial</c> entry: QEMU's <c>-serial</c> syntax as Xen configs use it. Only forms whose meaning is
/// unambiguous are taken, with no free-form QEMU options behind a comma.
/// </summary>
public static partial class SerialTarget
{
    public const int MaxPorts = 4;

    /// <summary>No port at this place; the entries after it keep theirs.</summary>
    public const string None = "none";

    public static string Forms => "none, pty, vc, stdio, null, file:/PATH, /dev/DEVICE, unix:/PATH[,server][,nowait], tcp:HOST:PORT[,server][,nowait]";

    public static bool IsValid(string text) => text switch
    {
        None or "pty" or "vc" or "stdio" or "null" => true,
        _ when text.StartsWith("file:/", StringComparison.Ordinal) => IsPath(text["file:".Length..]),
        _ when text.StartsWith("/dev/", StringComparison.Ordinal) => IsPath(text),
        _ => Socket().IsMatch(text),
    };

    private static bool IsPath(string path) => !path.Contains(',') && !path.Any(char.IsControl) && !path.Contains("/../", StringComparison.Ordinal);

    [GeneratedRegex("^(unix:/[^,\\p{C}]+|(tcp|telnet):[A-Za-z0-9.-]*:[0-9]{1,5})(,(server|nowait|nodelay))*$")]
    private static partial Regex Socket();
}
