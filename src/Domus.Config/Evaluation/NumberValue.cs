using Domus.Config.Diagnostics;

namespace Domus.Config.Evaluation;

/// <summary>An integer. <see cref="Text"/> is its spelling: xl hands that back when a number is read as a string.</summary>
public sealed record NumberValue(SourceLocation Location, long Value, string Text) : ConfigValue(Location)
{
    public override string TypeName => "number";

    public override bool IsTrue => Value != 0;

    public override long Size => Text.Length;

    public override string Show() => Text;
}
