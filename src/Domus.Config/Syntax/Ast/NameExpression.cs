using Domus.Config.Diagnostics;

namespace Domus.Config.Syntax.Ast;

public sealed record NameExpression(SourceLocation Location, string Name) : Expression(Location);
