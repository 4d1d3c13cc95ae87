using System.Diagnostics;

namespace Domus.Platform.Tests;

public sealed class ProcessIdentityTests
{
    [Fact]
    public void ThisProcessIsAlive()
    {
        var identity = ProcessIdentity.Of(Environment.ProcessId);
        Assert.NotNull(identity);
        Assert.True(identity.Value.IsAlive);
    }

    [Fact]
    public async Task AnEndedProcessIsNotAliveAndAReusedPidWouldNotMatch()
    {
        using var process = Process.Start(new ProcessStartInfo("sleep", "0.1") { UseShellExecute = false })!;
        var identity = ProcessIdentity.Of(process.Id)!.Value;
        Assert.True(identity.IsAlive);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.False(identity.IsAlive);
        Assert.False((identity with { StartTime = identity.StartTime + 1 }).IsAlive);
    }

    [Fact]
    public async Task AProcessIsFoundByAnArgumentOfItsOwnAndKilled()
    {
        var marker = $"domus-test-{Guid.NewGuid():N}";
        using var process = Process.Start(new ProcessStartInfo("sh", ["-c", "sleep 30", marker]) { UseShellExecute = false })!;
        var found = Assert.Single(ProcessIdentity.WithArgument("sh", marker));
        Assert.Equal(process.Id, found.Pid);
        Assert.Empty(ProcessIdentity.WithArgument("sh", marker[..^1]));
        Assert.Empty(ProcessIdentity.WithArgument("less", marker));

        found.Kill();
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.False(found.IsAlive);
        found.Kill();
    }

    [Fact]
    public void NoSuchProcess() => Assert.Null(ProcessIdentity.Of(int.MaxValue));
}
