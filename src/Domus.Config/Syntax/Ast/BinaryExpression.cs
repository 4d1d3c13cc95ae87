using Domus.Config.Diagnostics;

namespace Domus.Config.Syntax.Ast;

public sealed record BinaryExpression(SourceLocation Location, BinaryOperator Operator, Expression Left, Expression Right) : Expression(Location);
