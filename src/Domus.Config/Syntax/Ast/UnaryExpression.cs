using Domus.Config.Diagnostics;

namespace Domus.Config.Syntax.Ast;

public sealed record UnaryExpression(SourceLocation Location, UnaryOperator Operator, Expression Operand) : Expression(Location)
{
    public override int Depth { get; } = 1 + Operand.Depth;
}
