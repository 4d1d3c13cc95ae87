using Domus.Config.Diagnostics;

namespace Domus.Config.Evaluation;

/// <summary>An imported Python module of the preamble (<c>os</c> or <c>re</c>).</summary>
public sealed record ModuleValue(SourceLocation Location, string Name) : ConfigValue(Location)
{
    public override string TypeName => "module";

    public override bool IsTrue => true;

    public override string Show() => $"module '{Name}'";
}
