namespace Domus.Vmm.Host;

/// <summary>
/// domus-dm's command line, which domusd writes: the domain's normalized configuration (JSON) and the files the
/// device model serves and writes, as QEMU's are for a QEMU domain.
/// </summary>
public sealed record HostOptions(string Config, string ControlSocket, string ConsoleSocket, string ConsoleLog, string FirmwareLog, string Log, string PidFile)
{
    public const string Usage = "usage: domus-dm --config DOMAIN.json --control SOCKET --console SOCKET --console-log FILE --firmware-log FILE --log FILE --pidfile FILE";

    /// <exception cref="ArgumentException">An option is unknown, repeated, missing or without its value.</exception>
    public static HostOptions Parse(IReadOnlyList<string> args)
    {
        string[] names = ["--config", "--control", "--console", "--console-log", "--firmware-log", "--log", "--pidfile"];
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (!names.Contains(name))
            {
                throw new ArgumentException($"unknown option '{name}'");
            }

            if (i + 1 >= args.Count)
            {
                throw new ArgumentException($"{name} needs a value");
            }

            if (!values.TryAdd(name, args[++i]))
            {
                throw new ArgumentException($"{name} is given twice");
            }
        }

        var missing = names.Where(n => !values.ContainsKey(n)).ToList();
        if (missing.Count > 0)
        {
            throw new ArgumentException($"missing {string.Join(", ", missing)}");
        }

        return new HostOptions(values["--config"], values["--control"], values["--console"], values["--console-log"], values["--firmware-log"], values["--log"], values["--pidfile"]);
    }
}
