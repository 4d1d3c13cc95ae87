using System.Text.RegularExpressions;
using Domus.Config.Diagnostics;
using Domus.Config.Syntax;
using Domus.Config.Syntax.Ast;

namespace Domus.Config;

/// <summary>
/// Command-line <c>KEY=VALUE</c> overrides, as <c>xm create FILE memory=512 name=WinXP</c> took them. A value
/// that reads as a configuration literal (a number, a quoted string, a list) is that literal; anything else,
/// such as <c>name=WinXP</c> after the shell removed the quotes, is the text itself. One argument may also
/// hold several statements, as xl suggests: <c>'cpus="0-3"; vcpus=2'</c>.
/// </summary>
public static partial class OverrideParser
{
    public static (SourceText Source, IReadOnlyList<AssignStatement> Statements) Parse(string argument, DiagnosticBag diagnostics)
    {
        var source = new SourceText($"command line '{argument}'", argument, Environment.CurrentDirectory);
        if (TryParseLiteralStatements(source) is { } statements)
        {
            return (source, statements);
        }

        var match = KeyValue().Match(argument);
        if (!match.Success)
        {
            diagnostics.Error(source.LocationOf(0), "expected KEY=VALUE, with a lowercase key such as memory=512");
            return (source, []);
        }

        var key = match.Groups["key"].Value;
        var append = match.Groups["op"].Value == "+=";
        var valueOffset = match.Groups["value"].Index;
        var valueText = match.Groups["value"].Value;
        var location = source.LocationOf(valueOffset);
        var value = TryParseLiteralValue(valueText, location) ?? new StringLiteral(location, valueText);
        return (source, [new AssignStatement(source.LocationOf(0), key, append, value)]);
    }

    private static List<AssignStatement>? TryParseLiteralStatements(SourceText source)
    {
        var scratch = new DiagnosticBag();
        var statements = Parser.Parse(source, scratch);
        if (scratch.HasErrors || statements.Count == 0)
        {
            return null;
        }

        var assignments = statements.OfType<AssignStatement>().ToList();
        return assignments.Count == statements.Count && assignments.All(a => IsLiteral(a.Value)) ? assignments : null;
    }

    private static Expression? TryParseLiteralValue(string text, SourceLocation location)
    {
        var scratch = new DiagnosticBag();
        var statements = Parser.Parse(new SourceText(location.Source, "v=" + text, Environment.CurrentDirectory), scratch);
        if (scratch.HasErrors || statements is not [AssignStatement { Value: var value }] || !IsLiteral(value))
        {
            return null;
        }

        // Re-anchor at the value's place in the argument; positions inside it are not needed.
        return RelocateTop(value, location);
    }

    private static Expression RelocateTop(Expression value, SourceLocation location) => value switch
    {
        StringLiteral s => s with { Location = location },
        NumberLiteral n => n with { Location = location },
        // New nodes rather than 'with' copies: a composite node computes its depth when made.
        ListLiteral l => new ListLiteral(location, [.. l.Items.Select(i => RelocateTop(i, location))], l.IsTuple),
        UnaryExpression u => new UnaryExpression(location, u.Operator, RelocateTop(u.Operand, location)),
        _ => value,
    };

    private static bool IsLiteral(Expression expression) => expression switch
    {
        StringLiteral or NumberLiteral => true,
        UnaryExpression { Operator: UnaryOperator.Negate, Operand: NumberLiteral } => true,
        ListLiteral list => list.Items.All(IsLiteral),
        _ => false,
    };

    [GeneratedRegex(@"^\s*(?<key>[a-z][a-z0-9_.]*)\s*(?<op>\+?=)(?<value>.*)$", RegexOptions.Singleline)]
    private static partial Regex KeyValue();
}
