using Domus.Config.Diagnostics;

namespace Domus.Config.Evaluation;

public sealed record StringValue(SourceLocation Location, string Value) : ConfigValue(Location)
{
    public override string TypeName => "string";

    public override bool IsTrue => Value.Length > 0;

    public override long Size => 1 + Value.Length;

    public override string Show() => $"'{Excerpt.Of(Value)}'";
}
