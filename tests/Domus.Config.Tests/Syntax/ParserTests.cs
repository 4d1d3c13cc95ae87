using Domus.Config.Diagnostics;
using Domus.Config.Syntax;
using Domus.Config.Syntax.Ast;

namespace Domus.Config.Tests.Syntax;

public sealed class ParserTests
{
    private static (IReadOnlyList<Statement> Statements, DiagnosticBag Diagnostics) Parse(string text)
    {
        var diagnostics = new DiagnosticBag();
        return (Parser.Parse(new SourceText("t.cfg", text, "/"), diagnostics), diagnostics);
    }

    private static IReadOnlyList<Statement> ParseClean(string text)
    {
        var (statements, diagnostics) = Parse(text);
        Assert.False(diagnostics.HasErrors, string.Join("\n", diagnostics.Items));
        return statements;
    }

    [Fact]
    public void AssignmentsAreSeparatedByNewlinesOrSemicolons()
    {
        var statements = ParseClean("name=\"h0\"; type=\"hvm\"\nmemory = 128");
        Assert.Equal(["name", "type", "memory"], statements.Cast<AssignStatement>().Select(s => s.Key));
    }

    [Fact]
    public void ListsMaySpanLinesAndEndWithAComma()
    {
        var statement = Assert.IsType<AssignStatement>(Assert.Single(ParseClean("disk = [\n  'a',\n  'b',\n]\n")));
        var list = Assert.IsType<ListLiteral>(statement.Value);
        Assert.Equal(["a", "b"], list.Items.Cast<StringLiteral>().Select(s => s.Value));
    }

    [Fact]
    public void NestedAndEmptyLists()
    {
        var statement = Assert.IsType<AssignStatement>(Assert.Single(ParseClean("x = [[], [1, 'a'], []]")));
        Assert.Equal(3, Assert.IsType<ListLiteral>(statement.Value).Items.Count);
    }

    [Fact]
    public void PlusAssignIsAnAppend()
    {
        var statement = Assert.IsType<AssignStatement>(Assert.Single(ParseClean("extra += ' b'")));
        Assert.True(statement.Append);
    }

    [Fact]
    public void DottedKeysAreAcceptedAsXlDoes()
    {
        var statement = Assert.IsType<AssignStatement>(Assert.Single(ParseClean("a.b_c.d9 = 1")));
        Assert.Equal("a.b_c.d9", statement.Key);
    }

    [Fact]
    public void ThePythonPreambleOfXensExamplesParses()
    {
        var statements = ParseClean("""
            import os, re
            arch = os.uname()[4]
            if re.search('64', arch):
                arch_libdir = 'lib64'
            else:
                arch_libdir = 'lib'
            device_model = '/usr/' + arch_libdir + '/xen/bin/qemu-dm'
            """);
        Assert.IsType<ImportStatement>(statements[0]);
        var conditional = Assert.IsType<IfStatement>(statements[2]);
        Assert.Single(Assert.Single(conditional.Branches).Body);
        Assert.Single(conditional.ElseBody);
        Assert.IsType<BinaryExpression>(Assert.IsType<AssignStatement>(statements[3]).Value);
    }

    [Fact]
    public void IfBlocksEndAtTheFirstLineNotIndentedFurther()
    {
        var statements = ParseClean("if 1:\n  a = 1\n  b = 2\nc = 3\n");
        Assert.Equal(2, statements.Count);
        Assert.Equal(2, Assert.IsType<IfStatement>(statements[0]).Branches[0].Body.Count);
    }

    [Fact]
    public void ElifChainsAndInlineBodies()
    {
        var statements = ParseClean("if 0: a = 1\nelif 1: a = 2; b = 3\nelse: a = 4\n");
        var conditional = Assert.IsType<IfStatement>(Assert.Single(statements));
        Assert.Equal(2, conditional.Branches.Count);
        Assert.Equal(2, conditional.Branches[1].Body.Count);
        Assert.Single(conditional.ElseBody);
    }

    [Fact]
    public void NestedIfsUseIndentation()
    {
        var statements = ParseClean("if 1:\n    if 0:\n        a = 1\n    else:\n        a = 2\nelse:\n    a = 3\n");
        var outer = Assert.IsType<IfStatement>(Assert.Single(statements));
        var inner = Assert.IsType<IfStatement>(Assert.Single(outer.Branches[0].Body));
        Assert.Single(inner.ElseBody);
        Assert.Single(outer.ElseBody);
    }

    [Fact]
    public void IndentedXlStatementsNeedNoIf()
    {
        Assert.Equal(2, ParseClean("   memory = 1\n\tvcpus = 2\n").Count);
    }

    [Theory]
    [InlineData("Memory = 128", 1, 1, "'Memory' is not a valid key name", "did you mean 'memory'?")]
    [InlineData("full-screen=1", 1, 1, "'full-screen' is not a valid key name", "lowercase")]
    [InlineData("_x = 1", 1, 1, "'_x' is not a valid key name", "starting with a letter")]
    [InlineData("memory 128", 1, 8, "expected '=' after 'memory'", "found '128'")]
    [InlineData("memory =", 1, 9, "expected a value after 'memory ='", "")]
    [InlineData("= 5", 1, 1, "expected a key name", "found '='")]
    [InlineData("memory = 128 256", 1, 14, "expected the end of the statement", "'256'")]
    [InlineData("x = (1", 1, 7, "expected ',' or ')'", "'(' at")]
    [InlineData("else:\n  a = 1", 1, 1, "'else' without a matching 'if'", "")]
    [InlineData("if 1:\nx = 1", 1, 1, "expected an indented block after 'if'", "")]
    public void SyntaxErrorsNameTheirPlace(string text, int line, int column, string message, string detail)
    {
        var (_, diagnostics) = Parse(text);
        var error = diagnostics.Errors.First();
        Assert.Equal(new SourceLocation("t.cfg", line, column), error.Location);
        Assert.Contains(message, error.Message);
        Assert.Contains(detail, error.Message);
    }

    [Fact]
    public void AnUnclosedListReportsWhereItWasOpenedAndParsingGoesOn()
    {
        var (statements, diagnostics) = Parse("disk = [ 'a',\nmemory = 128\nvcpus = 2\n");
        var error = Assert.Single(diagnostics.Errors);
        Assert.Equal(new SourceLocation("t.cfg", 2, 8), error.Location);
        Assert.Contains("the '[' opened at line 1, column 8", error.Message);
        Assert.Equal("vcpus", Assert.IsType<AssignStatement>(Assert.Single(statements)).Key);
    }

    [Fact]
    public void AListNeverClosedAtAllIsReported()
    {
        var (_, diagnostics) = Parse("disk = [ 'a',\n 'b'");
        Assert.Contains("'[' is never closed", Assert.Single(diagnostics.Errors).Message);
    }

    [Fact]
    public void EveryBadLineIsReportedInOneRun()
    {
        var (statements, diagnostics) = Parse("a = \nb = 1\nC = 2\nd = ]\ne = 3\n");
        Assert.Equal([1, 3, 4], diagnostics.Errors.Select(d => d.Location.Line));
        Assert.Equal(["b", "e"], statements.Cast<AssignStatement>().Select(s => s.Key));
    }

    [Fact]
    public void OtherPythonIsRefusedWithItsLineAndItsBodySkipped()
    {
        var (statements, diagnostics) = Parse("def f(x):\n    return x\n    pass\nmemory = 1\nfor i in x: y = 1\n");
        Assert.Equal([1, 5], diagnostics.Errors.Select(d => d.Location.Line));
        Assert.All(diagnostics.Errors, d => Assert.Contains("Python", d.Message));
        Assert.Equal("memory", Assert.IsType<AssignStatement>(Assert.Single(statements)).Key);
    }

    [Fact]
    public void DeepNestingIsAnErrorNotAStackOverflow()
    {
        var (_, diagnostics) = Parse("x = " + new string('[', 100_000) + new string(']', 100_000));
        Assert.Contains("nested more than", Assert.Single(diagnostics.Errors).Message);
    }

    [Fact]
    public void AdjacentStringsJoinAsInPython()
    {
        var statement = Assert.IsType<AssignStatement>(Assert.Single(ParseClean("x = 'a' \"b\"")));
        Assert.Equal("ab", Assert.IsType<StringLiteral>(statement.Value).Value);
    }
}
