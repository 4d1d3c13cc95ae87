namespace Domus.Config.Syntax.Ast;

public enum BinaryOperator
{
    Add,
    Subtract,
    Equal,
    NotEqual,
    And,
    Or,
}
