using Domus.Config.Diagnostics;

namespace Domus.Config.Syntax.Ast;

public sealed record BinaryExpression(SourceLocation Location, BinaryOperator Operator, Expression Left, Expression Right) : Expression(Location)
{
    public override int Depth { get; } = 1 + Math.Max(Left.Depth, Right.Depth);
}
