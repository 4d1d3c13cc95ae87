using System.Globalization;
using System.Text;
using Domus.Api;

namespace Domus.Cli.Commands;

/// <summary><c>uptime [-s] [NAME|ID ...]</c> as xm 3.1 printed it, Domain-0 being the host.</summary>
public sealed class UptimeCommand(TimeProvider time) : ICommand
{
    private static readonly Dictionary<string, string> Flags = new() { ["-s"] = "short", ["--short"] = "short" };

    public UptimeCommand()
        : this(TimeProvider.System)
    {
    }

    public string Name => "uptime";

    public string Usage => "[-s] [NAME|ID ...]";

    public string Summary => "How long domains have run.";

    public async Task<int> RunAsync(CommandContext context, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var reader = new ArgumentReader(arguments, Flags, new Dictionary<string, string>());
        var client = DaemonConnection.ClientFor(context);
        var host = await client.HostAsync(cancellationToken);
        var rows = new List<(string Name, int Id, double Seconds)> { ("Domain-0", 0, host.UptimeSeconds) };
        rows.AddRange((await client.ListAsync(cancellationToken)).Select(d => (d.Name, d.Id, d.UptimeSeconds)));
        if (reader.Operands.Count > 0)
        {
            var unknown = reader.Operands.FirstOrDefault(o => !rows.Any(r => r.Name == o || r.Id.ToString(CultureInfo.InvariantCulture) == o));
            if (unknown is not null)
            {
                throw new CommandFailedException($"{unknown}: no such domain");
            }

            rows = rows.Where(r => reader.Operands.Contains(r.Name) || reader.Operands.Contains(r.Id.ToString(CultureInfo.InvariantCulture))).ToList();
        }

        var output = new StringBuilder();
        if (!reader.Has("short"))
        {
            output.Append("Name                              ID Uptime\n");
        }

        foreach (var (name, id, seconds) in rows)
        {
            output.Append(reader.Has("short")
                ? string.Create(CultureInfo.InvariantCulture, $"{time.GetLocalNow():' 'HH:mm:ss} up {Format(seconds, withSeconds: false)}, {name} ({id})\n")
                : string.Create(CultureInfo.InvariantCulture, $"{name,-32} {id,3} {Format(seconds, withSeconds: true)}\n"));
        }

        context.Out.Write(output.ToString());
        return 0;
    }

    /// <summary>xm's uptime: "[N day(s), ]H:MM[:SS]", hours padded to two places.</summary>
    public static string Format(double totalSeconds, bool withSeconds)
    {
        var uptime = (long)Math.Round(totalSeconds);
        var days = uptime / 86400;
        var hours = uptime % 86400 / 3600;
        var minutes = uptime % 3600 / 60;
        var seconds = uptime % 60;
        var text = days > 0 ? $"{days} day{(days > 1 ? "s" : string.Empty)}, " : string.Empty;
        text += string.Create(CultureInfo.InvariantCulture, $"{hours,2}:{minutes:D2}");
        return withSeconds ? text + string.Create(CultureInfo.InvariantCulture, $":{seconds:D2}") : text;
    }
}
