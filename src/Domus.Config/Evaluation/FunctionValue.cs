using Domus.Config.Diagnostics;

namespace Domus.Config.Evaluation;

/// <summary>One of the preamble's functions, named as written (<c>os.uname</c>, <c>re.search</c>, <c>re.match</c>).</summary>
public sealed record FunctionValue(SourceLocation Location, string Name) : ConfigValue(Location)
{
    public override string TypeName => "function";

    public override bool IsTrue => true;

    public override string Show() => $"{Name}()";
}
