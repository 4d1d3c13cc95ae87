namespace Domus.Cli.Tests;

public sealed class CliTests
{
    [Fact]
    public void UnknownCommandsExitWithTwo()
    {
        var run = CliRun.Of("frobnicate");
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("domus: unknown command 'frobnicate' (see 'domus help')\n", run.Error);
    }

    [Fact]
    public void HelpListsTheCommands()
    {
        var run = CliRun.Of("help");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("create", run.Out, StringComparison.Ordinal);
        Assert.Equal(2, CliRun.Of().ExitCode);
        Assert.StartsWith("usage: domus create [-c] [-p] [-n]", CliRun.Of("create", "--help").Out, StringComparison.Ordinal);
    }
}
