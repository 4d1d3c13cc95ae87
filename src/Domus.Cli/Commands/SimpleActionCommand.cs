using Domus.Api;

namespace Domus.Cli.Commands;

/// <summary>A verb that is one action of the API on one domain, e.g. destroy or pause.</summary>
public sealed class SimpleActionCommand(string name, string summary, Func<ArgumentReader, string> query, IReadOnlyDictionary<string, string>? flags = null) : DomainCommand
{
    public override string Name => name;

    public override string Summary => summary;

    public override string Usage => (Flags.Count > 0 ? $"[{string.Join("] [", Flags.Keys.Where(k => k.Length == 2))}] " : string.Empty) + "NAME|ID";

    protected override IReadOnlyDictionary<string, string> Flags => flags ?? new Dictionary<string, string>();

    protected override async Task<int> ActAsync(CommandContext context, DomusClient client, ArgumentReader arguments, CancellationToken cancellationToken)
    {
        await client.ActAsync(arguments.Operands[0], name, query(arguments), cancellationToken);
        return 0;
    }

    public static IReadOnlyList<ICommand> All { get; } =
    [
        new SimpleActionCommand("shutdown", "Ask a domain to shut down (ACPI power button); -w waits until it has.",
            a => a.Has("wait") ? "?wait=true" : string.Empty, new Dictionary<string, string> { ["-w"] = "wait", ["--wait"] = "wait" }),
        new SimpleActionCommand("reboot", "Ask a domain to reboot (Ctrl-Alt-Del); -F resets it at once.",
            a => a.Has("force") ? "?force=true" : string.Empty, new Dictionary<string, string> { ["-F"] = "force", ["--force"] = "force" }),
        new SimpleActionCommand("destroy", "End a domain at once, as pulling its plug.", _ => string.Empty),
        new SimpleActionCommand("pause", "Stop a domain's vCPUs; its memory stays.", _ => string.Empty),
        new SimpleActionCommand("unpause", "Let a paused domain run again.", _ => string.Empty),
    ];
}
