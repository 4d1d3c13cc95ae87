using System.Globalization;
using System.Text;
using Domus.Config.Diagnostics;

namespace Domus.Config.Syntax;

/// <summary>
/// Splits a configuration into tokens: the xl grammar (libxlu's lexer) plus what the Python preamble of
/// Xen 3.0's example files needs. Problems are reported to the bag and the lexer goes on, so that one run
/// finds every problem.
/// </summary>
public sealed class Lexer
{
    private readonly SourceText _source;
    private readonly string _text;
    private readonly DiagnosticBag _diagnostics;
    private readonly List<Token> _tokens = [];
    private int _position;

    private Lexer(SourceText source, DiagnosticBag diagnostics)
    {
        _source = source;
        _text = source.Text;
        _diagnostics = diagnostics;
    }

    public static IReadOnlyList<Token> Tokenize(SourceText source, DiagnosticBag diagnostics)
    {
        var lexer = new Lexer(source, diagnostics);
        lexer.Run();
        return lexer._tokens;
    }

    private void Run()
    {
        while (_position < _text.Length)
        {
            var c = _text[_position];
            var start = _position;
            switch (c)
            {
                case ' ' or '\t' or '\r' or '\f' or '\v':
                    _position++;
                    break;
                case '#':
                    SkipComment();
                    break;
                case '\n':
                    _position++;
                    Add(TokenKind.Newline, "\n", start);
                    break;
                case '\\' when Peek(1) == '\n' || (Peek(1) == '\r' && Peek(2) == '\n'):
                    _position += Peek(1) == '\n' ? 2 : 3;
                    break;
                case '\'' or '"':
                    ReadString(start, raw: false);
                    break;
                case >= '0' and <= '9':
                    ReadNumber(start);
                    break;
                case '_' or (>= 'a' and <= 'z') or (>= 'A' and <= 'Z'):
                    ReadName(start);
                    break;
                default:
                    ReadOperator(c, start);
                    break;
            }
        }

        Add(TokenKind.End, string.Empty, _position);
    }

    private char Peek(int ahead) => _position + ahead < _text.Length ? _text[_position + ahead] : '\0';

    private void Add(TokenKind kind, string text, int start, long number = 0) =>
        _tokens.Add(new Token(kind, text, _source.LocationOf(start), number));

    private void Error(int offset, string message) => _diagnostics.Error(_source.LocationOf(offset), message);

    private void SkipComment()
    {
        while (_position < _text.Length && _text[_position] != '\n')
        {
            _position++;
        }
    }

    private void ReadName(int start)
    {
        while (_position < _text.Length && IsNameChar(_text[_position]))
        {
            _position++;
        }

        var name = _text[start.._position];
        var quote = _position < _text.Length ? _text[_position] : '\0';
        if (quote is '\'' or '"' && name.ToLowerInvariant() is "r" or "u" or "b" or "ur" or "br")
        {
            ReadString(start, raw: name.Contains('r', StringComparison.OrdinalIgnoreCase));
            return;
        }

        Add(TokenKind.Name, name, start);
    }

    private static bool IsNameChar(char c) => c is '_' or (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9');

    private void ReadString(int start, bool raw)
    {
        var quote = _text[_position];
        if (Peek(1) == quote && Peek(2) == quote)
        {
            Error(start, "triple-quoted strings are not supported; write the value on one line");
            var close = _text.IndexOf(new string(quote, 3), _position + 3, StringComparison.Ordinal);
            _position = close < 0 ? _text.Length : close + 3;
            return;
        }

        _position++;
        var value = new StringBuilder();
        while (true)
        {
            if (_position >= _text.Length || _text[_position] == '\n')
            {
                Error(start, "unterminated string: the closing quote is missing on this line");
                break;
            }

            var c = _text[_position];
            if (c == quote)
            {
                _position++;
                break;
            }

            if (c == '\\' && !raw)
            {
                ReadEscape(value);
                continue;
            }

            if (c == '\\' && raw && Peek(1) != '\n' && Peek(1) != '\0')
            {
                value.Append(c).Append(_text[_position + 1]);
                _position += 2;
                continue;
            }

            if (c == '\0')
            {
                Error(_position, "a NUL character is not allowed in a string");
            }

            value.Append(c);
            _position++;
        }

        Add(TokenKind.String, value.ToString(), start);
    }

    private void ReadEscape(StringBuilder value)
    {
        var escapeStart = _position;
        var next = Peek(1);
        _position += 2;
        switch (next)
        {
            case '\\': value.Append('\\'); break;
            case '\'': value.Append('\''); break;
            case '"': value.Append('"'); break;
            case 'a': value.Append('\a'); break;
            case 'b': value.Append('\b'); break;
            case 'f': value.Append('\f'); break;
            case 'n': value.Append('\n'); break;
            case 'r': value.Append('\r'); break;
            case 't': value.Append('\t'); break;
            case 'v': value.Append('\v'); break;
            case '\n': break;
            case '\0':
                _position = _text.Length;
                break;
            case 'x':
                var hex = TakeWhile(2, Uri.IsHexDigit);
                if (hex.Length != 2)
                {
                    Error(escapeStart, "\\x must be followed by two hex digits");
                }
                else
                {
                    value.Append((char)int.Parse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                }

                break;
            case >= '0' and <= '7':
                _position--;
                var octal = TakeWhile(3, ch => ch is >= '0' and <= '7');
                value.Append((char)Convert.ToInt32(octal, 8));
                break;
            default:
                // Python keeps an unknown escape as written, backslash included.
                value.Append('\\').Append(next);
                break;
        }
    }

    private string TakeWhile(int max, Func<char, bool> accept)
    {
        var start = _position;
        while (_position < _text.Length && _position - start < max && accept(_text[_position]))
        {
            _position++;
        }

        return _text[start.._position];
    }

    private void ReadNumber(int start)
    {
        while (_position < _text.Length && (IsNameChar(_text[_position]) || _text[_position] == '.'))
        {
            _position++;
        }

        var text = _text[start.._position];
        if (TryParseInteger(text, out var value))
        {
            Add(TokenKind.Number, text, start, value);
            return;
        }

        var shown = Excerpt.Of(text);
        Error(start, text switch
        {
            _ when text.All(char.IsAsciiDigit) && text[0] != '0' => $"'{shown}' is too large a number",
            _ when text.All(char.IsAsciiDigit) => $"'{shown}' is not a valid number: a leading 0 makes it octal, which has no 8 or 9",
            _ when LooksLikeFloat(text) => $"'{shown}' is not an integer: configuration numbers are whole numbers (decimal, 0x hex or 0 octal)",
            _ => $"'{shown}' is not a valid number",
        });
        Add(TokenKind.Invalid, text, start);
    }

    private static bool LooksLikeFloat(string text) =>
        text.Contains('.')
        || (!text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) && char.IsAsciiDigit(text[^1]) && text.Contains('e', StringComparison.OrdinalIgnoreCase));

    /// <summary>Reads an integer the way strtol(..., 0) and Python 2 do: 0x hex, leading-0 octal, decimal.</summary>
    public static bool TryParseInteger(string text, out long value)
    {
        value = 0;
        var digits = text.EndsWith('L') || text.EndsWith('l') ? text[..^1] : text;
        try
        {
            if (digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase) && digits.Length > 2)
            {
                return long.TryParse(digits.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value) && value >= 0;
            }

            if (digits.StartsWith("0o", StringComparison.OrdinalIgnoreCase) && digits.Length > 2)
            {
                return TryParseOctal(digits[2..], out value);
            }

            if (digits.Length > 1 && digits[0] == '0')
            {
                return TryParseOctal(digits[1..], out value);
            }

            return digits.Length > 0 && digits.All(char.IsAsciiDigit)
                && long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out value);
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    private static bool TryParseOctal(string digits, out long value)
    {
        value = 0;
        if (digits.Length == 0 || !digits.All(c => c is >= '0' and <= '7'))
        {
            return false;
        }

        foreach (var c in digits)
        {
            value = checked((value * 8) + (c - '0'));
        }

        return true;
    }

    private void ReadOperator(char c, int start)
    {
        var (kind, length) = (c, Peek(1)) switch
        {
            ('+', '=') => (TokenKind.PlusAssign, 2),
            ('=', '=') => (TokenKind.EqualEqual, 2),
            ('!', '=') => (TokenKind.NotEqual, 2),
            ('+', _) => (TokenKind.Plus, 1),
            ('-', _) => (TokenKind.Minus, 1),
            ('=', _) => (TokenKind.Assign, 1),
            ('[', _) => (TokenKind.LeftBracket, 1),
            (']', _) => (TokenKind.RightBracket, 1),
            ('(', _) => (TokenKind.LeftParen, 1),
            (')', _) => (TokenKind.RightParen, 1),
            (',', _) => (TokenKind.Comma, 1),
            (';', _) => (TokenKind.Semicolon, 1),
            (':', _) => (TokenKind.Colon, 1),
            ('.', _) => (TokenKind.Dot, 1),
            _ => ((TokenKind?)null, 1),
        };
        _position += length;
        if (kind is { } k)
        {
            Add(k, _text.Substring(start, length), start);
            return;
        }

        var shown = char.IsControl(c) ? $"U+{(int)c:X4}" : c.ToString();
        Error(start, $"unexpected character '{shown}'");
    }
}
