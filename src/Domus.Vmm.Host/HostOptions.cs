namespace Domus.Vmm.Host;

/// <summary>
/// domus-dm's command line, which domusd writes: the domain's normalized configuration (JSON) and the files the
/// device model serves and writes, as QEMU's are for a QEMU domain, and the tap devices domusd made for its
/// network cards, one <c>--tap</c> per vif in the configuration's order.
/// </summary>
public sealed record HostOptions(string Config, string ControlSocket, string ConsoleSocket, string ConsoleLog, string FirmwareLog, string Log, string PidFile)
{
    public const string Usage = "usage: domus-dm --config DOMAIN.json --control SOCKET --console SOCKET --console-log FILE --firmware-log FILE --log FILE --pidfile FILE [--tap NAME ...]";
    private const string TapOption = "--tap";

    public IReadOnlyList<string> Taps { get; init; } = [];

    /// <exception cref="ArgumentException">An option is unknown, repeated, missing or without its value.</exception>
    public static HostOptions Parse(IReadOnlyList<string> args)
    {
        string[] names = ["--config", "--control", "--console", "--console-log", "--firmware-log", "--log", "--pidfile"];
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var taps = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (!names.Contains(name) && name != TapOption)
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

        var missing = names.Where(n => !values.ContainsKey(n)).ToList();
        if (missing.Count > 0)
        {
            throw new ArgumentException($"missing {string.Join(", ", missing)}");
        }

        return new HostOptions(values["--config"], values["--control"], values["--console"], values["--console-log"], values["--firmware-log"], values["--log"], values["--pidfile"])
        {
            Taps = taps,
        };
    }
}
