using Domus.Config.Diagnostics;

namespace Domus.Config.Syntax.Ast;

public abstract record Expression(SourceLocation Location) : Node(Location);
