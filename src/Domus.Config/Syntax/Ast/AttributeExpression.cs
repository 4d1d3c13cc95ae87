using Domus.Config.Diagnostics;

namespace Domus.Config.Syntax.Ast;

/// <summary><c>target.name</c>, as in <c>os.uname</c>.</summary>
public sealed record AttributeExpression(SourceLocation Location, Expression Target, string Name) : Expression(Location)
{
    public override int Depth { get; } = 1 + Target.Depth;
}
