using Domus.Config.Diagnostics;

namespace Domus.Config.Syntax.Ast;

public sealed record CallExpression(SourceLocation Location, Expression Callee, IReadOnlyList<Expression> Arguments) : Expression(Location)
{
    public override int Depth { get; } = 1 + Arguments.Select(a => a.Depth).Append(Callee.Depth).Max();
}
