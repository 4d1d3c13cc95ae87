using Domus.Config.Diagnostics;

namespace Domus.Config.Syntax.Ast;

/// <summary><c>import os, re</c>; each module name with its location.</summary>
public sealed record ImportStatement(SourceLocation Location, IReadOnlyList<NameExpression> Modules) : Statement(Location);
