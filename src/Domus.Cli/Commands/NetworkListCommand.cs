using System.Text;
using Domus.Api;

namespace Domus.Cli.Commands;

/// <summary><c>network-list NAME|ID</c>: a domain's network cards, as xl network-list shows them, with their taps.</summary>
public sealed class NetworkListCommand : DomainCommand
{
    public override string Name => "network-list";

    public override string Summary => "List a domain's network cards: MAC, bridge, model, tap.";

    protected override async Task<int> ActAsync(CommandContext context, DomusClient client, ArgumentReader arguments, CancellationToken cancellationToken)
    {
        var output = new StringBuilder();
        output.Append($"{"Idx",-4}{"Mac Addr.",-19}{"Bridge",-16}{"Model",-11}Tap\n");
        foreach (var vif in await client.VifsAsync(arguments.Operands[0], cancellationToken))
        {
            output.Append($"{vif.Index,-4}{vif.Mac,-19}{vif.Bridge,-16}{vif.Model,-11}{vif.Tap ?? "-"}\n");
        }

        context.Out.Write(output.ToString());
        return 0;
    }
}
