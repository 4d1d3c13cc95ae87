using Domus.Config.Diagnostics;

namespace Domus.Config.Syntax.Ast;

/// <summary>A malformed value the lexer already reported; the key it is assigned to simply fails.</summary>
public sealed record InvalidLiteral(SourceLocation Location) : Expression(Location);
