using Domus.Config.Diagnostics;

namespace Domus.Config.Syntax.Ast;

public sealed record CallExpression(SourceLocation Location, Expression Callee, IReadOnlyList<Expression> Arguments) : Expression(Location);
