namespace Domus.Config.Tests;

/// <summary>
/// Inputs built to exhaust the stack or memory: each ends in a <see cref="Diagnostics.ConfigException"/> naming its
/// place, never in a stack overflow, which would end the process, nor in a value that fills memory.
/// </summary>
public sealed class InputLimitTests
{
    private static string Chain(string term, string op, int terms) => string.Join(op, Enumerable.Repeat(term, terms));

    [Theory]
    [InlineData("'a'", " + ", 8_000)]
    [InlineData("1", " and ", 30_000)]
    [InlineData("1", " or ", 30_000)]
    [InlineData("1", " - ", 30_000)]
    public void ALongOperatorChainIsAnErrorAtItsLine(string term, string op, int terms)
    {
        var error = TestConfig.SingleError($"name = 'vm'\nextra = {Chain(term, op, terms)}\n");
        Assert.StartsWith("test.cfg:2:9: the expression is nested too deeply: more than 100 levels", error, StringComparison.Ordinal);
    }

    [Fact]
    public void ALongIndexChainIsAnErrorAtItsLine()
    {
        var error = TestConfig.SingleError("name = 'vm'\nextra = 'a'" + string.Concat(Enumerable.Repeat("[0]", 30_000)) + "\n");
        Assert.StartsWith("test.cfg:2:9: the expression is nested too deeply", error, StringComparison.Ordinal);
    }

    [Fact]
    public void AChainAsDeepAsAllowedStillEvaluates()
    {
        Assert.Equal(new string('a', 100), TestConfig.Load($"kernel = '/k'\nextra = {Chain("'a'", " + ", 100)}\n").Cmdline);
    }

    [Fact]
    public void DeeplyNestedIfBlocksAreOneErrorAndParsingGoesOnAfterThem()
    {
        var text = string.Concat(Enumerable.Range(0, 2_000).Select(depth => new string(' ', depth) + "if 1:\n"))
            + new string(' ', 2_000) + "memory = 1\n"
            + new string(' ', 32) + "else:\n"
            + new string(' ', 33) + "memory = 2\n"
            + "vcpus = 'x'\n";
        Assert.Equal(
            ["test.cfg:33:33: 'if' blocks are nested more than 32 levels deep", "test.cfg:2004:9: vcpus: expected a number, got a string 'x'"],
            TestConfig.Errors(text));
    }

    [Fact]
    public void AListNestedLineByLineIsAnErrorNotAStackOverflow()
    {
        var text = "x = 1\n" + string.Concat(Enumerable.Repeat("x = [x]\n", 100_000)) + "memory = x\n";
        Assert.Equal("test.cfg:34:5: lists are nested more than 32 levels deep", TestConfig.SingleError(text));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AValueDoubledLineByLineIsAnErrorBeforeItFillsMemory(bool list)
    {
        var start = list ? $"[{string.Join(", ", Enumerable.Repeat("1", 1_024))}]" : $"'{new string('a', 1_024)}'";
        var text = $"x = {start}\n" + string.Concat(Enumerable.Repeat("x = x + x\n", 12));
        Assert.Contains("the value grows beyond 1048576 characters", TestConfig.SingleError(text), StringComparison.Ordinal);
    }

    [Fact]
    public void AValueDoubledWithinOneExpressionIsAnError()
    {
        var doubled = Enumerable.Range(0, 11).Aggregate("x", (expression, _) => $"({expression} + {expression})");
        var text = $"x = '{new string('a', 1_024)}'\ny = {doubled}\n";
        Assert.Contains("the value grows beyond 1048576 characters", TestConfig.SingleError(text), StringComparison.Ordinal);
    }
}
