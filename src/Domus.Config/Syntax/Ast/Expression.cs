using Domus.Config.Diagnostics;

namespace Domus.Config.Syntax.Ast;

public abstract record Expression(SourceLocation Location) : Node(Location)
{
    /// <summary>
    /// The height of this expression's tree, 1 for a leaf. A node computes it from its children when it is
    /// made, so that the parser can bound how deep evaluation recurses without walking the tree.
    /// </summary>
    public virtual int Depth => 1;
}
