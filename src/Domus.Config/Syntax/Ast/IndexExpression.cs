using Domus.Config.Diagnostics;

namespace Domus.Config.Syntax.Ast;

/// <summary><c>target[index]</c>, as in <c>os.uname()[4]</c>.</summary>
public sealed record IndexExpression(SourceLocation Location, Expression Target, Expression Index) : Expression(Location)
{
    public override int Depth { get; } = 1 + Math.Max(Target.Depth, Index.Depth);
}
