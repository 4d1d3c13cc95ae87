using Domus.Api;

namespace Domus.Cli.Commands;

public sealed class RenameCommand : DomainCommand
{
    public override string Name => "rename";

    public override string Summary => "Give a domain another name.";

    public override string Usage => "NAME|ID NEW-NAME";

    protected override int Operands => 2;

    protected override async Task<int> ActAsync(CommandContext context, DomusClient client, ArgumentReader arguments, CancellationToken cancellationToken)
    {
        await client.RenameAsync(arguments.Operands[0], arguments.Operands[1], cancellationToken);
        return 0;
    }
}
