using Domus.Config.Diagnostics;

namespace Domus.Config.Syntax;

/// <summary>
/// A lexical token. <see cref="Text"/> is the decoded value for strings, the spelling otherwise;
/// <see cref="Number"/> is set for numbers.
/// </summary>
public sealed record Token(TokenKind Kind, string Text, SourceLocation Location, long Number = 0)
{
    public bool IsName(string name) => Kind == TokenKind.Name && Text == name;

    public string Describe() => Kind switch
    {
        TokenKind.Newline => "end of line",
        TokenKind.End => "end of file",
        TokenKind.String => $"string '{Excerpt.Of(Text)}'",
        _ => $"'{Excerpt.Of(Text)}'",
    };
}
