using Domus.Config.Diagnostics;
using Domus.Config.Syntax;

namespace Domus.Config.Tests.Syntax;

public sealed class LexerTests
{
    private static (IReadOnlyList<Token> Tokens, DiagnosticBag Diagnostics) Lex(string text)
    {
        var diagnostics = new DiagnosticBag();
        return (Lexer.Tokenize(new SourceText("t.cfg", text, "/"), diagnostics), diagnostics);
    }

    private static Token SingleToken(string text)
    {
        var (tokens, diagnostics) = Lex(text);
        Assert.False(diagnostics.HasErrors, string.Join("\n", diagnostics.Items));
        Assert.Equal(TokenKind.End, tokens[^1].Kind);
        return Assert.Single(tokens.SkipLast(1));
    }

    [Theory]
    [InlineData("128", 128L)]
    [InlineData("0x200", 512L)]
    [InlineData("0X1f", 31L)]
    [InlineData("010", 8L)]
    [InlineData("0", 0L)]
    [InlineData("0o17", 15L)]
    [InlineData("42L", 42L)]
    public void NumbersAreReadAsStrtolBaseZeroDoes(string text, long value)
    {
        var token = SingleToken(text);
        Assert.Equal(TokenKind.Number, token.Kind);
        Assert.Equal(value, token.Number);
        Assert.Equal(text, token.Text);
    }

    [Theory]
    [InlineData("1.5", "is not an integer")]
    [InlineData("1e3", "is not an integer")]
    [InlineData("09", "is not a valid number")]
    [InlineData("0x1g", "is not a valid number")]
    [InlineData("0x", "is not a valid number")]
    [InlineData("12abc", "is not a valid number")]
    [InlineData("99999999999999999999", "is too large")]
    public void BadNumbersAreErrors(string text, string message)
    {
        var (_, diagnostics) = Lex(text);
        var error = Assert.Single(diagnostics.Errors);
        Assert.Contains(message, error.Message);
        Assert.Equal(new SourceLocation("t.cfg", 1, 1), error.Location);
    }

    [Fact]
    public void AnOverlongNumberIsQuotedOnlyInPart()
    {
        var (_, diagnostics) = Lex(new string('9', 5_000));
        Assert.Equal($"'{new string('9', 80)}…' is too large a number", Assert.Single(diagnostics.Errors).Message);
    }

    [Theory]
    [InlineData("'plain'", "plain")]
    [InlineData("\"double\"", "double")]
    [InlineData(@"'a\'b'", "a'b")]
    [InlineData(@"""a\""b""", "a\"b")]
    [InlineData(@"'\\ \a\b\f\n\r\t\v'", "\\ \a\b\f\n\r\t\v")]
    [InlineData(@"'\x41\101\0'", "AA\0")]
    [InlineData(@"'\d+'", @"\d+")]
    [InlineData(@"r'\d+\n'", @"\d+\n")]
    [InlineData(@"u'x'", "x")]
    [InlineData("'#not a comment'", "#not a comment")]
    public void StringsDecodeEscapes(string text, string value)
    {
        var token = SingleToken(text);
        Assert.Equal(TokenKind.String, token.Kind);
        Assert.Equal(value, token.Text);
    }

    [Fact]
    public void UnterminatedStringIsReportedAtItsQuote()
    {
        var (tokens, diagnostics) = Lex("name = 'abc\nmemory = 1\n");
        var error = Assert.Single(diagnostics.Errors);
        Assert.Equal(new SourceLocation("t.cfg", 1, 8), error.Location);
        Assert.Contains("unterminated string", error.Message);
        Assert.Contains(tokens, t => t.IsName("memory"));
    }

    [Fact]
    public void TripleQuotedStringsAreRefused()
    {
        var (_, diagnostics) = Lex("extra = '''a\nb'''\n");
        Assert.Contains("triple-quoted", Assert.Single(diagnostics.Errors).Message);
    }

    [Fact]
    public void CommentsRunToTheEndOfTheLineEvenWithoutANewline()
    {
        var (tokens, diagnostics) = Lex("memory = 1 # the memory\n#full-screen=1   ");
        Assert.False(diagnostics.HasErrors);
        Assert.Equal(
            [TokenKind.Name, TokenKind.Assign, TokenKind.Number, TokenKind.Newline, TokenKind.End],
            tokens.Select(t => t.Kind));
    }

    [Fact]
    public void BackslashNewlineContinuesALine()
    {
        var (tokens, _) = Lex("memory = \\\n  128\n");
        Assert.Equal([TokenKind.Name, TokenKind.Assign, TokenKind.Number, TokenKind.Newline, TokenKind.End], tokens.Select(t => t.Kind));
    }

    [Fact]
    public void OperatorsAndLocations()
    {
        var (tokens, diagnostics) = Lex("a += [1, 2];\nb == c != d(e).f:");
        Assert.False(diagnostics.HasErrors);
        Assert.Equal(
            [
                TokenKind.Name, TokenKind.PlusAssign, TokenKind.LeftBracket, TokenKind.Number, TokenKind.Comma, TokenKind.Number,
                TokenKind.RightBracket, TokenKind.Semicolon, TokenKind.Newline, TokenKind.Name, TokenKind.EqualEqual, TokenKind.Name,
                TokenKind.NotEqual, TokenKind.Name, TokenKind.LeftParen, TokenKind.Name, TokenKind.RightParen, TokenKind.Dot,
                TokenKind.Name, TokenKind.Colon, TokenKind.End,
            ],
            tokens.Select(t => t.Kind));
        Assert.Equal(new SourceLocation("t.cfg", 2, 6), tokens[11].Location);
    }

    [Fact]
    public void UnexpectedCharactersAreReportedAndSkipped()
    {
        var (tokens, diagnostics) = Lex("memory = $128 ! \u0001");
        Assert.Equal(3, diagnostics.Errors.Count());
        Assert.Contains(diagnostics.Errors, d => d.Message == "unexpected character '$'" && d.Location.Column == 10);
        Assert.Contains(diagnostics.Errors, d => d.Message == "unexpected character 'U+0001'");
        Assert.Contains(tokens, t => t.Kind == TokenKind.Number);
    }
}
