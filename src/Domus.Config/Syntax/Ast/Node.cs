using Domus.Config.Diagnostics;

namespace Domus.Config.Syntax.Ast;

public abstract record Node(SourceLocation Location);
