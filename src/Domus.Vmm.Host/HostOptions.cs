using System.Globalization;
using System.Net;

namespace Domus.Vmm.Host;

/// <summary>
/// domus-dm's command line, which domusd writes: the domain's normalized configuration (JSON) and the files the
/// device model serves and writes, as QEMU's are for a QEMU domain, the tap devices domusd made for its network
/// cards, one <c>--tap</c> per vif in the configuration's order, and where the VNC server listens: <c>--vnc</c>
/// ADDRESS:PORT, with <c>--vnc-last-port</c> the first free port up to that one (vncunused), and the password in a
/// file (<c>--vnc-password-file</c>), never on the command line, which every user of the host can read.
/// </summary>
public sealed record HostOptions(string Config, string ControlSocket, string ConsoleSocket, string ConsoleLog, string FirmwareLog, string Log, string PidFile)
{
    public const string Usage = "usage: domus-dm --config DOMAIN.json --control SOCKET --console SOCKET --console-log FILE --firmware-log FILE --log FILE --pidfile FILE [--tap NAME ...] [--vnc ADDRESS:PORT [--vnc-last-port PORT] [--vnc-password-file FILE]]";
    private const string TapOption = "--tap", VncOption = "--vnc", VncLastPortOption = "--vnc-last-port", VncPasswordFileOption = "--vnc-password-file";

    public IReadOnlyList<string> Taps { get; init; } = [];

    /// <summary>Where the VNC server listens; null: no VNC server.</summary>
    public IPEndPoint? Vnc { get; init; }

    /// <summary>The last port to try when <see cref="Vnc"/>'s is taken; null: that port only.</summary>
    public int? VncLastPort { get; init; }

    /// <summary>A file whose content is the VNC password.</summary>
    public string? VncPasswordFile { get; init; }

    /// <exception cref="ArgumentException">An option is unknown, repeated, missing or without a valid value.</exception>
    public static HostOptions Parse(IReadOnlyList<string> args)
    {
        string[] required = ["--config", "--control", "--console", "--console-log", "--firmware-log", "--log", "--pidfile"];
        string[] optional = [VncOption, VncLastPortOption, VncPasswordFileOption];
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var taps = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (!required.Contains(name) && !optional.Contains(name) && name != TapOption)
            {
                throw new ArgumentException($"unknown option '{name}'");
            }

            if (i + 1 >= args.Count)
            {
                throw new ArgumentException($"{name} needs a value");
            }

            if (name == TapOption)
            {
                taps.Add(args[++i]);
            }
            else if (!values.TryAdd(name, args[++i]))
            {
                throw new ArgumentException($"{name} is given twice");
            }
        }

        var missing = required.Where(n => !values.ContainsKey(n)).ToList();
        if (missing.Count > 0)
        {
            throw new ArgumentException($"missing {string.Join(", ", missing)}");
        }

        var vnc = values.TryGetValue(VncOption, out var endpoint) ? ParseEndpoint(endpoint) : null;
        if (vnc is null && (values.ContainsKey(VncLastPortOption) || values.ContainsKey(VncPasswordFileOption)))
        {
            throw new ArgumentException($"{VncLastPortOption} and {VncPasswordFileOption} go with {VncOption}");
        }

        return new HostOptions(values["--config"], values["--control"], values["--console"], values["--console-log"], values["--firmware-log"], values["--log"], values["--pidfile"])
        {
            Taps = taps,
            Vnc = vnc,
            VncLastPort = values.TryGetValue(VncLastPortOption, out var last) ? ParseLastPort(last, vnc!.Port) : null,
            VncPasswordFile = values.GetValueOrDefault(VncPasswordFileOption),
        };
    }

    private static IPEndPoint ParseEndpoint(string value) =>
        IPEndPoint.TryParse(value, out var endpoint) && endpoint.Port != 0
            ? endpoint
            : throw new ArgumentException($"{VncOption} '{value}': an IP address and a port, e.g. 127.0.0.1:5900 or [::1]:5900");

    private static int ParseLastPort(string value, int first) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port >= first && port <= IPEndPoint.MaxPort
            ? port
            : throw new ArgumentException($"{VncLastPortOption} '{value}': a port from {first} to {IPEndPoint.MaxPort}");
}
