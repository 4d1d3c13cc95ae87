using Domus.Config.Diagnostics;
using Domus.Config.Evaluation;
using Domus.Config.Syntax;

namespace Domus.Config.Tests.Evaluation;

public sealed class EvaluatorTests
{
    private const string Preamble = """
        import os, re
        arch = os.uname()[4]
        if re.search('64', arch):
            arch_libdir = 'lib64'
        else:
            arch_libdir = 'lib'
        device_model = '/usr/' + arch_libdir + '/xen/bin/qemu-dm'
        """;

    private static (EvaluatedConfig Result, DiagnosticBag Diagnostics) Run(string text, PythonHost? host = null)
    {
        var diagnostics = new DiagnosticBag();
        var evaluator = new Evaluator(host ?? TestConfig.X64Host, diagnostics);
        evaluator.Execute(Parser.Parse(new SourceText("t.cfg", text, "/"), diagnostics));
        return (evaluator.Result(), diagnostics);
    }

    private static ConfigValue Value(string text, string key)
    {
        var (result, diagnostics) = Run(text);
        Assert.False(diagnostics.HasErrors, string.Join("\n", diagnostics.Items));
        return Assert.Single(result.Settings, s => s.Key == key).Value;
    }

    private static string ErrorOf(string text)
    {
        var (_, diagnostics) = Run(text);
        return Assert.Single(diagnostics.Errors).ToString();
    }

    [Theory]
    [InlineData("x86_64", "/usr/lib64/xen/bin/qemu-dm")]
    [InlineData("i686", "/usr/lib/xen/bin/qemu-dm")]
    [InlineData("aarch64", "/usr/lib64/xen/bin/qemu-dm")]
    public void ThePreambleChoosesTheLibraryDirectoryByMachine(string machine, string expected)
    {
        var (result, diagnostics) = Run(Preamble, TestConfig.X64Host with { Machine = machine });
        Assert.False(diagnostics.HasErrors);
        var deviceModel = Assert.Single(result.Settings, s => s.Key == "device_model");
        Assert.Equal(expected, Assert.IsType<StringValue>(deviceModel.Value).Value);
    }

    [Fact]
    public void HelperVariablesAreMarkedAsReadByTheScriptAndModulesAreNoSettings()
    {
        var (result, _) = Run(Preamble);
        Assert.Equal(["arch", "arch_libdir", "device_model"], result.Settings.Select(s => s.Key));
        Assert.True(result.Settings.Single(s => s.Key == "arch_libdir").ReadByScript);
        Assert.False(result.Settings.Single(s => s.Key == "device_model").ReadByScript);
    }

    [Fact]
    public void TheLastAssignmentWins()
    {
        Assert.Equal(256, Assert.IsType<NumberValue>(Value("memory = 128\nmemory = 256", "memory")).Value);
    }

    [Fact]
    public void PlusAssignJoinsStringsAndAppendsToLists()
    {
        Assert.Equal("a b", Assert.IsType<StringValue>(Value("extra = 'a'\nextra += ' b'", "extra")).Value);
        var list = Assert.IsType<ListValue>(Value("disk = ['a']\ndisk += ['b']\ndisk += 'c'", "disk"));
        Assert.Equal(["a", "b", "c"], list.Items.Cast<StringValue>().Select(s => s.Value));
        Assert.Equal("x", Assert.IsType<StringValue>(Value("extra += 'x'", "extra")).Value);
    }

    [Fact]
    public void PlusAssignOnANumberIsRefusedAsXlDoes()
    {
        Assert.Equal("t.cfg:2:1: '+=' cannot be used with numbers ('memory' holds 128)", ErrorOf("memory = 128\nmemory += 1"));
    }

    [Fact]
    public void ConcatenationAndArithmetic()
    {
        Assert.Equal("ab1", Assert.IsType<StringValue>(Value("x = 'a'\ny = x + 'b' + '1'", "y")).Value);
        Assert.Equal(384, Assert.IsType<NumberValue>(Value("m = 128\nmaxmem = m + 256", "maxmem")).Value);
        Assert.Equal(-3600, Assert.IsType<NumberValue>(Value("rtc_timeoffset = -3600", "rtc_timeoffset")).Value);
        Assert.Equal(2, Assert.IsType<ListValue>(Value("disk = ['a'] + ['b']", "disk")).Items.Count);
    }

    [Fact]
    public void NumbersKeepTheirSpelling()
    {
        Assert.Equal("0x10", Assert.IsType<NumberValue>(Value("name = 0x10", "name")).Text);
    }

    [Fact]
    public void ComparisonsAndBooleanOperators()
    {
        Assert.Equal(1, Assert.IsType<NumberValue>(Value("import os\nacpi = os.uname()[4] == 'x86_64'", "acpi")).Value);
        Assert.Equal(0, Assert.IsType<NumberValue>(Value("apic = not 1", "apic")).Value);
        Assert.Equal("b", Assert.IsType<StringValue>(Value("x = '' or 'b'", "x")).Value);
        Assert.Equal("", Assert.IsType<StringValue>(Value("x = '' and 'b'", "x")).Value);
        Assert.Equal("yes", Assert.IsType<StringValue>(Value("import re\nif re.match('x8', 'x86') and 1 != 2:\n  v = 'yes'", "v")).Value);
    }

    [Fact]
    public void ReMatchAnchorsAtTheStart()
    {
        Assert.Equal("no", Assert.IsType<StringValue>(Value("import re\nif re.match('64', 'x86_64'):\n  v = 'yes'\nelse:\n  v = 'no'", "v")).Value);
    }

    [Fact]
    public void IndexingIsPythons()
    {
        Assert.Equal("c", Assert.IsType<StringValue>(Value("x = ['a', 'b', 'c'][-1]", "x")).Value);
        Assert.Equal("b", Assert.IsType<StringValue>(Value("x = 'abc'[1]", "x")).Value);
    }

    [Theory]
    [InlineData("boot = c", "t.cfg:1:8: 'c' is not defined; a string must be quoted: 'c'")]
    [InlineData("acpi = True", "t.cfg:1:8: 'True' is not defined; write 1 or 0")]
    [InlineData("import sys", "t.cfg:1:8: 'import sys' is not supported: of Python, a configuration may only use the 'import os, re' of Xen's example files")]
    [InlineData("import os\nx = os.path", "t.cfg:2:5: 'os.path' is not supported: the preamble may use os.uname(), re.search() and re.match()")]
    [InlineData("x = 'a' + 1", "t.cfg:1:5: cannot add a number to a string ('a' + 1)")]
    [InlineData("x = 'a' - 'b'", "t.cfg:1:5: cannot subtract a string from a string")]
    [InlineData("x = [1][3]", "t.cfg:1:9: index 3 is out of range: the list has 1 items")]
    [InlineData("x = 5[0]", "t.cfg:1:5: a number cannot be indexed")]
    [InlineData("x = 'a'()", "t.cfg:1:5: 'a' is a string and cannot be called")]
    [InlineData("import re\nx = re.search('(', 'a')", "t.cfg:2:15: invalid regular expression '(': ")]
    [InlineData("import os\nx = os.uname(1)", "t.cfg:2:5: os.uname() takes no arguments")]
    [InlineData("x = -'a'", "t.cfg:1:5: cannot negate a string")]
    public void PythonBeyondThePreambleIsAnErrorAtItsPlace(string text, string error)
    {
        // A message ending in ': ' goes on with the regular expression engine's own words.
        Assert.StartsWith(error, ErrorOf(text));
    }

    [Fact]
    public void AFailedConditionDoesNotCascadeIntoUndefinedNames()
    {
        var (result, diagnostics) = Run("if re.search('64', 'x'):\n    d = 'a'\nelse:\n    d = 'b'\nx = '/usr/' + d\n");
        Assert.Equal("t.cfg:1:4: 're' is not defined; a string must be quoted: 're'", Assert.Single(diagnostics.Errors).ToString());
        Assert.Contains("x", result.FailedKeys);
    }

    [Fact]
    public void ASlowRegularExpressionTimesOutInsteadOfHanging()
    {
        var (_, diagnostics) = Run("import re\nx = re.search('(a+)+$', '" + new string('a', 40) + "!')");
        Assert.Contains("takes too long", Assert.Single(diagnostics.Errors).Message);
    }
}
