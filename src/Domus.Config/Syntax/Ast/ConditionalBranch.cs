namespace Domus.Config.Syntax.Ast;

/// <summary>One <c>if</c> or <c>elif</c> arm: its condition and the statements it guards.</summary>
public sealed record ConditionalBranch(Expression Condition, IReadOnlyList<Statement> Body);
