using Domus.Config.Diagnostics;

namespace Domus.Config.Syntax.Ast;

/// <summary>An integer; <see cref="Text"/> keeps its spelling, which xl returns when a number is read as a string.</summary>
public sealed record NumberLiteral(SourceLocation Location, long Value, string Text) : Expression(Location);
