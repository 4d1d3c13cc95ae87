using Domus.Config.Diagnostics;

namespace Domus.Config.Evaluation;

/// <summary>A list, or a tuple (from <c>os.uname()</c> or parentheses), which configuration keys read as lists.</summary>
public sealed record ListValue(SourceLocation Location, IReadOnlyList<ConfigValue> Items, bool IsTuple = false) : ConfigValue(Location)
{
    public override string TypeName => IsTuple ? "tuple" : "list";

    public override bool IsTrue => Items.Count > 0;

    // Depth and Size come from the items' own, once, when the list is made: a list may hold one list many
    // times (x = [x, x]), and walking such a value would take exponential time.

    /// <summary>How deep lists nest in this one, 1 for a list of strings and numbers.</summary>
    public int Depth { get; } = 1 + Items.Select(i => i is ListValue list ? list.Depth : 0).DefaultIfEmpty().Max();

    public override long Size { get; } = 1 + Items.Sum(i => i.Size);

    public override string Show() => Excerpt.Of(IsTuple
        ? $"({string.Join(", ", Items.Select(i => i.Show()))})"
        : $"[{string.Join(", ", Items.Select(i => i.Show()))}]");
}
