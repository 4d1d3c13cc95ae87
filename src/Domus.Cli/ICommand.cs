namespace Domus.Cli;

/// <summary>One verb of the xm/xl command set.</summary>
public interface ICommand
{
    string Name { get; }

    /// <summary>The synopsis after the verb, as in xm's help.</summary>
    string Usage { get; }

    string Summary { get; }

    Task<int> RunAsync(CommandContext context, IReadOnlyList<string> arguments, CancellationToken cancellationToken);
}
