namespace Domus.Config.Syntax;

public enum TokenKind
{
    Name,
    String,
    Number,

    /// <summary>A value the lexer already reported as malformed; it stands in so that nothing else is reported.</summary>
    Invalid,
    Assign,
    PlusAssign,
    Plus,
    Minus,
    EqualEqual,
    NotEqual,
    LeftBracket,
    RightBracket,
    LeftParen,
    RightParen,
    Comma,
    Semicolon,
    Colon,
    Dot,
    Newline,
    End,
}
