namespace Domus.Platform.Tests;

public sealed class ProgramLocatorTests
{
    [Fact]
    public void FindsProgramsOnPathAndByPath()
    {
        Assert.Equal("/bin/sh", ProgramLocator.Find("/bin/sh"));
        Assert.EndsWith("/sh", ProgramLocator.Find("sh"), StringComparison.Ordinal);
        Assert.Null(ProgramLocator.Find("no-such-program-anywhere"));
        Assert.Null(ProgramLocator.Find("/no/such/program"));
    }

    [Fact]
    public async Task HostCommandRunsAnArgvWithoutAShell()
    {
        var (exit, output) = await HostCommand.RunAsync("echo", ["a;b", "$HOME", "`id`"], TestContext.Current.CancellationToken);
        Assert.Equal((0, "a;b $HOME `id`"), (exit, output));
        Assert.Equal(127, (await HostCommand.RunAsync("no-such-program-anywhere", [], TestContext.Current.CancellationToken)).ExitCode);
    }
}
