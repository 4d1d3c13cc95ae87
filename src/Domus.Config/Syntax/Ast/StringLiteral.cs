using Domus.Config.Diagnostics;

namespace Domus.Config.Syntax.Ast;

public sealed record StringLiteral(SourceLocation Location, string Value) : Expression(Location);
