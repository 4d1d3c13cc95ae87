using Domus.Config.Diagnostics;

namespace Domus.Config.Syntax.Ast;

public abstract record Statement(SourceLocation Location) : Node(Location);
