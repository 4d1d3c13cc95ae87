using Domus.Api;

namespace Domus.Cli.Commands;

/// <summary><c>network-detach NAME|ID INDEX|MAC</c>: unplugs a network card once the guest lets go of it.</summary>
public sealed class NetworkDetachCommand : DomainCommand
{
    public override string Name => "network-detach";

    public override string Summary => "Unplug a domain's network card (by index or MAC).";

    public override string Usage => "NAME|ID INDEX|MAC";

    protected override int Operands => 2;

    protected override async Task<int> ActAsync(CommandContext context, DomusClient client, ArgumentReader arguments, CancellationToken cancellationToken)
    {
        await client.DetachVifAsync(arguments.Operands[0], arguments.Operands[1], cancellationToken);
        return 0;
    }
}
