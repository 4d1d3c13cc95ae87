using Domus.Config.Diagnostics;

namespace Domus.Config.Syntax.Ast;

/// <summary>A bracketed list, or a parenthesised tuple when <see cref="IsTuple"/>.</summary>
public sealed record ListLiteral(SourceLocation Location, IReadOnlyList<Expression> Items, bool IsTuple) : Expression(Location)
{
    public override int Depth { get; } = 1 + Items.Select(i => i.Depth).DefaultIfEmpty().Max();
}
