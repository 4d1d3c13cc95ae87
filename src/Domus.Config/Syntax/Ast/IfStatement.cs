using Domus.Config.Diagnostics;

namespace Domus.Config.Syntax.Ast;

public sealed record IfStatement(SourceLocation Location, IReadOnlyList<ConditionalBranch> Branches, IReadOnlyList<Statement> ElseBody) : Statement(Location);
