namespace Domus.Config.Syntax.Ast;

public enum UnaryOperator
{
    Negate,
    Not,
}
