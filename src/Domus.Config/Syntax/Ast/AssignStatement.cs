using Domus.Config.Diagnostics;

namespace Domus.Config.Syntax.Ast;

/// <summary><c>key = value</c>, or <c>key += value</c> when <see cref="Append"/>.</summary>
public sealed record AssignStatement(SourceLocation Location, string Key, bool Append, Expression Value) : Statement(Location);
