using Domus.Config.Diagnostics;

namespace Domus.Config.Evaluation;

/// <summary>A list, or a tuple (from <c>os.uname()</c> or parentheses), which configuration keys read as lists.</summary>
public sealed record ListValue(SourceLocation Location, IReadOnlyList<ConfigValue> Items, bool IsTuple = false) : ConfigValue(Location)
{
    public override string TypeName => IsTuple ? "tuple" : "list";

    public override bool IsTrue => Items.Count > 0;

    public override string Show() => IsTuple
        ? $"({string.Join(", ", Items.Select(i => i.Show()))})"
        : $"[{string.Join(", ", Items.Select(i => i.Show()))}]";
}
