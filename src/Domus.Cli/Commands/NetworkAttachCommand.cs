using Domus.Api;

namespace Domus.Cli.Commands;

/// <summary><c>network-attach NAME|ID [KEY=VALUE …]</c>: plugs a network card into a running domain, as xl network-attach.</summary>
public sealed class NetworkAttachCommand : ICommand
{
    public string Name => "network-attach";

    public string Usage => "NAME|ID [bridge=BRIDGE] [mac=MAC] [model=MODEL] [vifname=NAME] ...";

    public string Summary => "Plug a network card (vif spec items) into a running domain.";

    public async Task<int> RunAsync(CommandContext context, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        if (arguments.Count == 0 || arguments[0].StartsWith('-'))
        {
            throw new UsageException("network-attach needs a domain, then the vif's items");
        }

        var vif = await DaemonConnection.ClientFor(context).AttachVifAsync(arguments[0], string.Join(',', arguments.Skip(1)), cancellationToken);
        context.Out.WriteLine($"{vif.Index} {vif.Mac} {vif.Bridge} {vif.Model} {vif.Tap}");
        return 0;
    }
}
