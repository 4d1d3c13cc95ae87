using Domus.Config.Diagnostics;

namespace Domus.Config.Evaluation;

/// <summary>The result of a comparison or of <c>re.search</c>; stored into a key it becomes 1 or 0, as in Python.</summary>
public sealed record BoolValue(SourceLocation Location, bool Value) : ConfigValue(Location)
{
    public override string TypeName => "boolean";

    public override bool IsTrue => Value;

    public override string Show() => Value ? "True" : "False";
}
