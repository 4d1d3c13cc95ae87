using Domus.Config.Diagnostics;
using Domus.Config.Syntax.Ast;

namespace Domus.Config.Syntax;

/// <summary>
/// Parses tokens into statements: xl's <c>KEY = VALUE</c> / <c>KEY += VALUE</c> lines separated by newlines
/// or <c>;</c>, plus the Python of Xen 3.0's example preamble (<c>import</c>, <c>if</c>/<c>elif</c>/<c>else</c>
/// blocks, calls, indexing, <c>+</c>). Indentation matters only inside an <c>if</c>: its block is the lines
/// indented further than the <c>if</c>. After an error the parser skips to the end of that line and goes on.
/// Nesting is bounded (brackets, <c>not</c>, <c>if</c> blocks, and the depth of an expression's tree, which
/// long chains such as <c>'a' + 'a' + ...</c> build), so that no input makes parsing or evaluation overflow
/// the stack.
/// </summary>
public sealed class Parser
{
    /// <summary>How deep brackets, <c>not</c>, <c>-</c> and <c>if</c> blocks may nest.</summary>
    public const int MaxNesting = 32;

    /// <summary>How deep an expression's tree may be: evaluation recurses once per level.</summary>
    public const int MaxDepth = 100;

    private static readonly HashSet<string> UnsupportedKeywords =
    [
        "def", "class", "for", "while", "print", "return", "from", "try", "except", "finally", "with",
        "lambda", "global", "nonlocal", "exec", "del", "pass", "yield", "raise", "assert", "break", "continue",
    ];

    private readonly IReadOnlyList<Token> _tokens;
    private readonly DiagnosticBag _diagnostics;
    private int _index;
    private int _nesting;
    private int _ifNesting;

    private Parser(IReadOnlyList<Token> tokens, DiagnosticBag diagnostics)
    {
        _tokens = tokens;
        _diagnostics = diagnostics;
    }

    public static IReadOnlyList<Statement> Parse(SourceText source, DiagnosticBag diagnostics)
    {
        var parser = new Parser(Lexer.Tokenize(source, diagnostics), diagnostics);
        return parser.ParseBlock(parentColumn: 0);
    }

    private Token Current => _tokens[_index];

    private Token Advance()
    {
        var token = _tokens[_index];
        if (token.Kind != TokenKind.End)
        {
            _index++;
        }

        return token;
    }

    private bool Accept(TokenKind kind)
    {
        if (Current.Kind != kind)
        {
            return false;
        }

        Advance();
        return true;
    }

    private SyntaxAbort Fail(Token at, string message) => Fail(at.Location, message);

    private SyntaxAbort Fail(SourceLocation at, string message)
    {
        _diagnostics.Error(at, message);
        return new SyntaxAbort();
    }

    private void Expect(TokenKind kind, string what)
    {
        if (!Accept(kind))
        {
            throw Fail(Current, $"expected {what}, found {Current.Describe()}");
        }
    }

    private void SkipNewlines()
    {
        while (Current.Kind == TokenKind.Newline)
        {
            Advance();
        }
    }

    private void SkipToLineEnd()
    {
        while (Current.Kind is not (TokenKind.Newline or TokenKind.End))
        {
            Advance();
        }
    }

    /// <summary>Statements until the end, or, inside an if, until a line starts at or left of the if.</summary>
    private List<Statement> ParseBlock(int parentColumn)
    {
        var statements = new List<Statement>();
        while (true)
        {
            while (Current.Kind is TokenKind.Newline or TokenKind.Semicolon)
            {
                Advance();
            }

            if (Current.Kind == TokenKind.End || Current.Location.Column <= parentColumn)
            {
                return statements;
            }

            if (ParseStatement() is { } statement)
            {
                statements.Add(statement);
            }
        }
    }

    private Statement? ParseStatement()
    {
        var start = Current;
        try
        {
            Statement? statement = start switch
            {
                _ when start.IsName("import") => ParseImport(),
                _ when start.IsName("if") && _ifNesting == MaxNesting => SkipWithBody(start, $"'if' blocks are nested more than {MaxNesting} levels deep"),
                _ when start.IsName("if") => ParseIf(),
                _ when start.IsName("else") || start.IsName("elif") =>
                    throw Fail(start, $"'{start.Text}' without a matching 'if' above it at the same indentation"),
                { Kind: TokenKind.Name } when UnsupportedKeywords.Contains(start.Text) => SkipWithBody(
                    start,
                    $"Python '{start.Text}' statements are not supported: a domain configuration holds KEY = VALUE lines, " +
                    "and of Python only the preamble of Xen's example files (import os, re; os.uname(); if re.search(...):)"),
                _ => ParseAssignment(),
            };
            if (statement is AssignStatement or ImportStatement
                && Current.Kind is not (TokenKind.Newline or TokenKind.Semicolon or TokenKind.End))
            {
                throw Fail(Current, $"expected the end of the statement, found {Current.Describe()}");
            }

            return statement;
        }
        catch (SyntaxAbort)
        {
            _nesting = 0;
            SkipToLineEnd();
            return null;
        }
    }

    /// <summary>
    /// Reports a statement that cannot be parsed and skips it with its indented body, and, after an
    /// <c>if</c>, its <c>elif</c> and <c>else</c> arms, so that it produces one error rather than one per line.
    /// </summary>
    private Statement? SkipWithBody(Token keyword, string message)
    {
        _diagnostics.Error(keyword.Location, message);
        SkipLineAndBody(keyword);
        while (keyword.IsName("if") && Current.Location.Column == keyword.Location.Column && (Current.IsName("elif") || Current.IsName("else")))
        {
            SkipLineAndBody(Current);
        }

        return null;
    }

    /// <summary>Skips from <paramref name="keyword"/> to the end of its line, and the block below when the line ends with ':'.</summary>
    private void SkipLineAndBody(Token keyword)
    {
        var last = keyword;
        while (Current.Kind is not (TokenKind.Newline or TokenKind.End))
        {
            last = Advance();
        }

        SkipNewlines();
        if (last.Kind != TokenKind.Colon)
        {
            return;
        }

        while (Current.Kind != TokenKind.End && Current.Location.Column > keyword.Location.Column)
        {
            SkipToLineEnd();
            SkipNewlines();
        }
    }

    private ImportStatement ParseImport()
    {
        var keyword = Advance();
        var modules = new List<NameExpression>();
        do
        {
            var name = Current;
            Expect(TokenKind.Name, "a module name after 'import'");
            modules.Add(new NameExpression(name.Location, name.Text));
        }
        while (Accept(TokenKind.Comma));

        return new ImportStatement(keyword.Location, modules);
    }

    private IfStatement ParseIf()
    {
        _ifNesting++;
        try
        {
            return ParseIfArms(Advance());
        }
        finally
        {
            _ifNesting--;
        }
    }

    private IfStatement ParseIfArms(Token keyword)
    {
        var branches = new List<ConditionalBranch> { ParseBranch(keyword) };
        var elseBody = (IReadOnlyList<Statement>)[];
        while (true)
        {
            var resume = _index;
            SkipNewlines();
            var next = Current;
            if (next.Location.Column != keyword.Location.Column)
            {
                _index = resume;
                break;
            }

            if (next.IsName("elif"))
            {
                Advance();
                branches.Add(ParseBranch(next));
                continue;
            }

            if (next.IsName("else"))
            {
                Advance();
                Expect(TokenKind.Colon, "':' after 'else'");
                elseBody = ParseSuite(next);
                break;
            }

            _index = resume;
            break;
        }

        return new IfStatement(keyword.Location, branches, elseBody);
    }

    private ConditionalBranch ParseBranch(Token keyword)
    {
        var condition = ParseExpression();
        Expect(TokenKind.Colon, $"':' after the condition of '{keyword.Text}'");
        return new ConditionalBranch(condition, ParseSuite(keyword));
    }

    /// <summary>The body after a ':': the rest of the line, or the following lines indented further.</summary>
    private List<Statement> ParseSuite(Token keyword)
    {
        if (Current.Kind is TokenKind.Newline or TokenKind.End)
        {
            SkipNewlines();
            if (Current.Kind == TokenKind.End || Current.Location.Column <= keyword.Location.Column)
            {
                _diagnostics.Error(keyword.Location, $"expected an indented block after '{keyword.Text}'");
            }

            return ParseBlock(keyword.Location.Column);
        }

        var inline = new List<Statement>();
        do
        {
            if (Current.Kind is TokenKind.Newline or TokenKind.End)
            {
                break;
            }

            inline.Add(ParseAssignment());
        }
        while (Accept(TokenKind.Semicolon));

        return inline;
    }

    private AssignStatement ParseAssignment()
    {
        var first = Current;
        if (first.Kind != TokenKind.Name)
        {
            throw Fail(first, $"expected a key name, found {first.Describe()}");
        }

        var key = Advance().Text;
        while (Current.Kind == TokenKind.Dot)
        {
            Advance();
            var part = Current;
            Expect(TokenKind.Name, "a name after '.'");
            key += "." + part.Text;
        }

        if (Current.Kind == TokenKind.Minus && _tokens[_index + 1].Kind == TokenKind.Name)
        {
            throw Fail(first, $"'{key}-{_tokens[_index + 1].Text}' is not a valid key name: keys are lowercase letters, digits, '_' and '.'");
        }

        ValidateKeyName(first, key);
        var append = Current.Kind == TokenKind.PlusAssign;
        if (!Accept(TokenKind.Assign) && !Accept(TokenKind.PlusAssign))
        {
            throw Fail(Current, $"expected '=' after '{key}', found {Current.Describe()}");
        }

        if (Current.Kind is TokenKind.Newline or TokenKind.End or TokenKind.Semicolon)
        {
            throw Fail(Current, $"expected a value after '{key} {(append ? "+=" : "=")}'");
        }

        return new AssignStatement(first.Location, key, append, ParseExpression());
    }

    private void ValidateKeyName(Token at, string key)
    {
        if (key[0] is >= 'a' and <= 'z' && key.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '.'))
        {
            return;
        }

        var hint = key.Any(char.IsAsciiLetterUpper)
            ? $" (did you mean '{key.ToLowerInvariant()}'?)"
            : string.Empty;
        throw Fail(at, $"'{key}' is not a valid key name: keys are lowercase letters, digits, '_' and '.', starting with a letter{hint}");
    }

    private Expression ParseExpression() => ParseNested(ParseOr);

    private Expression ParseOr()
    {
        var left = ParseAnd();
        while (Current.IsName("or"))
        {
            Advance();
            left = new BinaryExpression(left.Location, BinaryOperator.Or, left, ParseAnd());
        }

        return left;
    }

    private Expression ParseAnd()
    {
        var left = ParseNot();
        while (Current.IsName("and"))
        {
            Advance();
            left = new BinaryExpression(left.Location, BinaryOperator.And, left, ParseNot());
        }

        return left;
    }

    private Expression ParseNot()
    {
        if (!Current.IsName("not"))
        {
            return ParseComparison();
        }

        var keyword = Advance();
        return new UnaryExpression(keyword.Location, UnaryOperator.Not, ParseNested(ParseNot));
    }

    private Expression ParseComparison()
    {
        var left = ParseSum();
        var op = Current.Kind switch
        {
            TokenKind.EqualEqual => BinaryOperator.Equal,
            TokenKind.NotEqual => BinaryOperator.NotEqual,
            _ => (BinaryOperator?)null,
        };
        if (op is null)
        {
            return left;
        }

        Advance();
        return new BinaryExpression(left.Location, op.Value, left, ParseSum());
    }

    private Expression ParseSum()
    {
        var left = ParseUnary();
        while (Current.Kind is TokenKind.Plus or TokenKind.Minus)
        {
            var op = Advance().Kind == TokenKind.Plus ? BinaryOperator.Add : BinaryOperator.Subtract;
            left = new BinaryExpression(left.Location, op, left, ParseUnary());
        }

        return left;
    }

    private Expression ParseUnary()
    {
        if (Current.Kind != TokenKind.Minus)
        {
            return ParsePostfix();
        }

        var minus = Advance();
        return new UnaryExpression(minus.Location, UnaryOperator.Negate, ParseNested(ParseUnary));
    }

    private Expression ParseNested(Func<Expression> parse)
    {
        if (++_nesting > MaxNesting)
        {
            throw Fail(Current, $"the value is nested more than {MaxNesting} levels deep");
        }

        var result = parse();
        _nesting--;
        if (result.Depth > MaxDepth)
        {
            throw Fail(result.Location, $"the expression is nested too deeply: more than {MaxDepth} levels of operators, indexes and brackets (each term of a chain such as 'a' + 'b' + ... is one); build it in steps, with helper variables");
        }

        return result;
    }

    private Expression ParsePostfix()
    {
        var expression = ParseAtom();
        while (true)
        {
            var token = Current;
            switch (token.Kind)
            {
                case TokenKind.Dot:
                    Advance();
                    var name = Current;
                    Expect(TokenKind.Name, "a name after '.'");
                    expression = new AttributeExpression(expression.Location, expression, name.Text);
                    break;
                case TokenKind.LeftParen:
                    Advance();
                    var arguments = ParseItems(TokenKind.RightParen, "')'", token);
                    expression = new CallExpression(expression.Location, expression, arguments);
                    break;
                case TokenKind.LeftBracket:
                    Advance();
                    SkipNewlines();
                    var index = ParseExpression();
                    SkipNewlines();
                    Expect(TokenKind.RightBracket, "']' after the index");
                    expression = new IndexExpression(expression.Location, expression, index);
                    break;
                default:
                    return expression;
            }
        }
    }

    private Expression ParseAtom()
    {
        var token = Current;
        switch (token.Kind)
        {
            case TokenKind.String:
                var text = Advance().Text;
                while (Current.Kind == TokenKind.String)
                {
                    text += Advance().Text;
                }

                return new StringLiteral(token.Location, text);
            case TokenKind.Number:
                Advance();
                return new NumberLiteral(token.Location, token.Number, token.Text);
            case TokenKind.Name:
                Advance();
                return new NameExpression(token.Location, token.Text);
            case TokenKind.Invalid:
                Advance();
                return new InvalidLiteral(token.Location);
            case TokenKind.LeftBracket:
                Advance();
                return new ListLiteral(token.Location, ParseItems(TokenKind.RightBracket, "']'", token), IsTuple: false);
            case TokenKind.LeftParen:
                Advance();
                return ParseParenthesised(token);
            default:
                throw Fail(token, $"expected a value, found {token.Describe()}");
        }
    }

    private Expression ParseParenthesised(Token open)
    {
        SkipNewlines();
        if (Accept(TokenKind.RightParen))
        {
            return new ListLiteral(open.Location, [], IsTuple: true);
        }

        var first = ParseExpression();
        SkipNewlines();
        if (Accept(TokenKind.RightParen))
        {
            return first;
        }

        if (!Accept(TokenKind.Comma))
        {
            throw Fail(Current, $"expected ',' or ')' after the value in '(' at {open.Location}, found {Current.Describe()}");
        }

        var rest = ParseItems(TokenKind.RightParen, "')'", open);
        return new ListLiteral(open.Location, [first, .. rest], IsTuple: true);
    }

    /// <summary>Comma-separated values up to the closing token; line breaks and a trailing comma are allowed.</summary>
    private List<Expression> ParseItems(TokenKind close, string closeText, Token open)
    {
        var items = new List<Expression>();
        while (true)
        {
            SkipNewlines();
            if (Accept(close))
            {
                return items;
            }

            if (Current.Kind == TokenKind.End)
            {
                throw Fail(open, $"'{open.Text}' is never closed: {closeText} is missing");
            }

            items.Add(ParseExpression());
            SkipNewlines();
            if (Accept(close))
            {
                return items;
            }

            if (Current.Kind == TokenKind.End)
            {
                throw Fail(open, $"'{open.Text}' is never closed: {closeText} is missing");
            }

            if (!Accept(TokenKind.Comma))
            {
                throw Fail(Current, $"expected ',' or {closeText} in the '{open.Text}' opened at line {open.Location.Line}, column {open.Location.Column}; found {Current.Describe()}");
            }
        }
    }

    /// <summary>Unwinds the current statement after its error was reported.</summary>
    private sealed class SyntaxAbort : Exception;
}
