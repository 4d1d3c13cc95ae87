using System.Globalization;
using System.Text;
using System.Text.Json;
using Domus.Api;
using Domus.Platform;

namespace Domus.Cli.Commands;

/// <summary>
/// <c>list [-l] [NAME|ID ...]</c> in xl's layout: Domain-0 (the host) first, tabs before State and Time(s);
/// <c>-l</c> prints the domains with their configurations as JSON, as xl does.
/// </summary>
public sealed class ListCommand : ICommand
{
    public const string Header = "Name                                        ID   Mem VCPUs\tState\tTime(s)";

    private static readonly Dictionary<string, string> Flags = new() { ["-l"] = "long", ["--long"] = "long" };

    public string Name => "list";

    public string Usage => "[-l] [NAME|ID ...]";

    public string Summary => "List domains: name, id, memory, vCPUs, state (r b p s c d) and CPU time.";

    public async Task<int> RunAsync(CommandContext context, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var reader = new ArgumentReader(arguments, Flags, new Dictionary<string, string>());
        var client = DaemonConnection.ClientFor(context);
        var guests = reader.Operands.Where(o => !IsHost(o)).ToList();
        if (reader.Has("long"))
        {
            // The host has no configuration to show: -l lists the guests asked for (none when only Domain-0 was).
            var details = await Task.WhenAll(reader.Operands.Count > 0
                ? guests.Select(d => client.GetAsync(d, cancellationToken))
                : (await client.ListAsync(cancellationToken)).Select(d => client.GetAsync(d.Id.ToString(CultureInfo.InvariantCulture), cancellationToken)));
            context.Out.WriteLine(JsonSerializer.Serialize(details.ToList(), IndentedApiJson.Default.ListDomainDetail));
            return 0;
        }

        var domains = await client.ListAsync(cancellationToken);
        var selected = new List<DomainSummary>();
        var showHost = reader.Operands.Count == 0 || reader.Operands.Any(IsHost);
        foreach (var operand in guests)
        {
            selected.Add(domains.FirstOrDefault(d => d.Name == operand || d.Id.ToString(CultureInfo.InvariantCulture) == operand)
                ?? throw new CommandFailedException($"{operand}: no such domain"));
        }

        var output = new StringBuilder().Append(Header).Append('\n');
        if (showHost)
        {
            // domusd runs on this host: Domain-0's figures are read here, saving a request.
            output.Append(Row("Domain-0", 0, HostFacts.Memory().TotalMib, HostFacts.Cpus, "r-----", HostFacts.BusyCpuSeconds()));
        }

        foreach (var domain in reader.Operands.Count == 0 ? domains : selected)
        {
            output.Append(Row(domain.Name, domain.Id, domain.MemoryMib, domain.Vcpus, domain.State, domain.CpuTimeSeconds));
        }

        context.Out.Write(output.ToString());
        return 0;
    }

    private static bool IsHost(string operand) => operand is "0" or "Domain-0";

    /// <summary>One row as xl prints it: <c>%-40s %5d %5lu %5d     %s  %8.1f</c>.</summary>
    public static string Row(string name, int id, long memoryMib, int vcpus, string state, double seconds) =>
        string.Create(CultureInfo.InvariantCulture, $"{name,-40} {id,5} {memoryMib,5} {vcpus,5}     {state}  {seconds,8:F1}\n");
}
