using Domus.Api;

namespace Domus.Cli.Commands;

/// <summary>
/// A verb that acts on one domain through domusd (<c>VERB [FLAGS] NAME|ID</c>): it parses its flags, connects,
/// and turns domusd's refusals into one line on stderr.
/// </summary>
public abstract class DomainCommand : ICommand
{
    public abstract string Name { get; }

    public abstract string Summary { get; }

    public virtual string Usage => "NAME|ID";

    protected virtual IReadOnlyDictionary<string, string> Flags { get; } = new Dictionary<string, string>();

    protected virtual int Operands => 1;

    public async Task<int> RunAsync(CommandContext context, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var reader = new ArgumentReader(arguments, Flags, new Dictionary<string, string>());
        if (reader.Operands.Count != Operands)
        {
            throw new UsageException(Operands == 1 ? $"{Name} needs one domain" : $"{Name} needs {Operands} arguments");
        }

        var client = DaemonConnection.ClientFor(context);
        return await ActAsync(context, client, reader, cancellationToken);
    }

    protected abstract Task<int> ActAsync(CommandContext context, DomusClient client, ArgumentReader arguments, CancellationToken cancellationToken);
}
