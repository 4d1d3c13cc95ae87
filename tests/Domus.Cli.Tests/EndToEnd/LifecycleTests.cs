using Domus.Images;
using Domus.Platform;
using Domus.Tests.Networking;

namespace Domus.Cli.Tests.EndToEnd;

/// <summary>
/// The demo guest on the QEMU device model, driven with the domus verbs against a real domusd: boot to its
/// shell, run a command over the console, shut down, reboot, destroy, crash, and survive domusd's death.
/// </summary>
[Collection(EndToEndGroup.Name)]
public sealed class LifecycleTests(DemoImageFixture demo)
{
    private static readonly TimeSpan Boot = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan Reply = TimeSpan.FromSeconds(30);
    private const string Prompt = "domus-demo# ";

    [Fact]
    public async Task TheDemoBootsAnswersOverTheConsoleAndShutsDownCleanly()
    {
        EndToEndEnvironment.RequireQemu();
        await using var domus = new DomusInstance();
        var (domain, console) = await domus.StartDemoAsync(demo.ReadOnlyDisk, "demo1");
        await using (console)
        {
            await console.WaitForAsync(DemoGuest.InitMessage, Boot);
            await console.WaitForAsync(Prompt, Reply);
            await console.SendLineAsync("echo answer-$((6*7))");
            await console.WaitForAsync("answer-42", Reply);

            var listed = domus.Domus("list", "demo1");
            Assert.Equal(0, listed.ExitCode);
            Assert.Matches($@"^demo1\s+{domain.Id}\s+256\s+1\s+[rb-]{{6}}\s+\d+\.\d$", listed.Out.Split('\n')[1]);

            // -l: the guests asked for as JSON with their configurations; the host (0) has none to show.
            var longList = domus.Domus("list", "-l", "0", "demo1");
            Assert.True(longList.ExitCode == 0, longList.Error);
            var details = System.Text.Json.Nodes.JsonNode.Parse(longList.Out)!.AsArray();
            Assert.Equal("demo1", Assert.Single(details)!["domain"]!["name"]!.GetValue<string>());
            Assert.Equal(256, details[0]!["config"]!["memory_mib"]!.GetValue<int>());
            Assert.Equal("[]", domus.Domus("list", "-l", "Domain-0").Out.Trim());

            var shutdown = domus.Domus("shutdown", "-w", "demo1");
            Assert.True(shutdown.ExitCode == 0, shutdown.Error);
            await console.WaitForAsync("reboot: Power down", Reply);
        }

        Assert.DoesNotContain("demo1", domus.Domus("list").Out, StringComparison.Ordinal);
        Assert.False(ProcessIdentity.Of(domain.DeviceModelPid!.Value)?.IsAlive ?? false);
        Assert.False(Directory.Exists(domus.Locations.DomainRuntimeDirectory(domain.Id)));
        Assert.False(Directory.Exists(domus.Locations.DomainStateDirectory(domain.Id)));
        Assert.Equal("domus list: demo1: no such domain\n", domus.Domus("list", "demo1").Error);
    }

    [Fact]
    public async Task AGuestRebootRestartsTheDomainWhenOnRebootSaysRestart()
    {
        EndToEndEnvironment.RequireQemu();
        await using var domus = new DomusInstance();
        var (domain, console) = await domus.StartDemoAsync(demo.ReadOnlyDisk, "rebooter", "on_reboot=restart");
        await using (console)
        {
            await console.WaitForAsync(DemoGuest.InitMessage, Boot);
            await console.WaitForAsync(Prompt, Reply);
            await console.SendLineAsync("reboot");
            await console.WaitForAsync(DemoGuest.InitMessage, Boot);
            var after = (await domus.Client.GetAsync("rebooter")).Domain;
            Assert.Equal((domain.Id, domain.DeviceModelPid, "running"), (after.Id, after.DeviceModelPid, after.Status));
        }

        Assert.Equal(0, domus.Domus("destroy", "rebooter").ExitCode);
    }

    [Fact]
    public async Task AGuestRebootingInALoopIsPausedAndMarkedCrashed()
    {
        EndToEndEnvironment.RequireQemu();
        var image = Path.Combine(AppContext.BaseDirectory, "guests", "triplefault.bin");
        if (!File.Exists(image))
        {
            Assert.Skip("the test guests were not assembled: nasm is not installed (scripts/test.sh installs it)");
        }

        await using var domus = new DomusInstance();
        var create = domus.Domus("create", EndToEndEnvironment.DemoConfig, $"disk=['file:{image},hda,r']", "name=looper", "on_reboot=restart", "memory=32");
        Assert.True(create.ExitCode == 0, create.Error);
        await WaitUntilAsync(async () => (await domus.Client.GetAsync("looper")).Domain.Status == "crashed");
        var looper = (await domus.Client.GetAsync("looper")).Domain;
        Assert.Equal("the guest rebooted; rebooted 5 times within 60 s, so it is paused", looper.CrashReason);
        Assert.True(ProcessIdentity.Of(looper.DeviceModelPid!.Value)?.IsAlive, "the device model is kept for inspection");
        Assert.Equal(0, domus.Domus("destroy", "looper").ExitCode);
    }

    [Fact]
    public async Task RenameRestartKeepsTheStoppedDomainAndStartsANewOneOnTheSameWritableDisk()
    {
        EndToEndEnvironment.RequireQemu();
        await using var domus = new DomusInstance();
        var (domain, console) = await domus.StartDemoAsync(domus.WritableCopyOf(demo.Image), "phoenix", "on_poweroff=rename-restart");
        await using (console)
        {
            await console.WaitForAsync(DemoGuest.InitMessage, Boot);
            await console.WaitForAsync(Prompt, Reply);
            await console.SendLineAsync("poweroff");
            await console.WaitForAsync("reboot: Power down", Reply);
        }

        // A new domain that cannot start leaves the kept one crashed, with the reason.
        await WaitUntilAsync(async () =>
        {
            var domains = await domus.Client.ListAsync();
            return domains.Count == 2 || domains.Any(d => d.Status == "crashed");
        });
        var list = await domus.Client.ListAsync();
        var kept = Assert.Single(list, d => d.Name == $"phoenix-{domain.Id}");
        Assert.Equal((domain.Id, "shutdown", "---s--", null), (kept.Id, kept.Status, kept.State, kept.CrashReason));
        Assert.True(ProcessIdentity.Of(domain.DeviceModelPid!.Value)?.IsAlive, "the kept domain's memory is kept for inspection");
        var fresh = Assert.Single(list, d => d.Name == "phoenix");
        Assert.True(fresh.Id > domain.Id);
        Assert.Equal("running", fresh.Status);
        await using (var freshConsole = new GuestConsole(await domus.Client.ConnectConsoleAsync("phoenix", history: true)))
        {
            await freshConsole.WaitForAsync(DemoGuest.InitMessage, Boot);
        }

        Assert.Equal(0, domus.Domus("destroy", $"phoenix-{domain.Id}").ExitCode);
        Assert.Equal(0, domus.Domus("destroy", "phoenix").ExitCode);
    }

    [Fact]
    public async Task RenameRestartOfADomainWithANetworkCardStartsTheNewOneWithTheSameMacAndTap()
    {
        EndToEndEnvironment.RequireQemu();
        NetworkNamespace.Require();
        using var network = new NetworkNamespace();
        await using var domus = new DomusInstance(network);
        Assert.Equal(0, domus.Domus("network", "create", "xenbr0").ExitCode);
        var (domain, console) = await domus.StartDemoAsync(demo.ReadOnlyDisk, "wired", "on_poweroff=rename-restart", "vif=['mac=00:16:3e:77:00:01,bridge=xenbr0,vifname=wired0']");
        await using (console)
        {
            await console.WaitForAsync(DemoGuest.InitMessage, Boot);
            await console.WaitForAsync(Prompt, Reply);
            await console.SendLineAsync("poweroff");
            await console.WaitForAsync("reboot: Power down", Reply);
        }

        await WaitUntilAsync(async () => (await domus.Client.ListAsync()).Count == 2 || (await domus.Client.ListAsync()).Any(d => d.Status == "crashed"));
        var list = await domus.Client.ListAsync();
        Assert.Equal("shutdown", Assert.Single(list, d => d.Name == $"wired-{domain.Id}").Status);
        var fresh = Assert.Single(list, d => d.Name == "wired");
        Assert.Equal("running", fresh.Status);
        // The vifname names the new domain's tap: the kept domain let go of it.
        var vif = Assert.Single(await domus.Client.VifsAsync("wired"));
        Assert.Equal(("00:16:3e:77:00:01", "wired0"), (vif.Mac, vif.Tap));
        Assert.Null(Assert.Single(await domus.Client.VifsAsync($"wired-{domain.Id}")).Tap);
        Assert.Equal(0, domus.Domus("destroy", $"wired-{domain.Id}").ExitCode);
        Assert.True(network.HasInterface("wired0"), "destroying the kept domain leaves the new one's tap");
        Assert.Equal(0, domus.Domus("destroy", "wired").ExitCode);
        Assert.False(network.HasInterface("wired0"));
    }

    [Fact]
    public async Task DestroyEndsTheDomainAndItsDeviceModel()
    {
        EndToEndEnvironment.RequireQemu();
        await using var domus = new DomusInstance();
        var (domain, console) = await domus.StartDemoAsync(demo.ReadOnlyDisk, "doomed");
        await console.DisposeAsync();
        var destroy = domus.Domus("destroy", "doomed");
        Assert.True(destroy.ExitCode == 0, destroy.Error);
        Assert.False(ProcessIdentity.Of(domain.DeviceModelPid!.Value)?.IsAlive ?? false);
        Assert.Empty(domus.QemuPids());
        Assert.DoesNotContain("doomed", domus.Domus("list").Out, StringComparison.Ordinal);
        Assert.False(Directory.Exists(domus.Locations.DomainStateDirectory(domain.Id)));
    }

    [Fact]
    public async Task AKilledDeviceModelIsACrashThatOnCrashDecides()
    {
        EndToEndEnvironment.RequireQemu();
        await using var domus = new DomusInstance();
        var (kept, keptConsole) = await domus.StartDemoAsync(demo.ReadOnlyDisk, "kept", "on_crash=preserve");
        var (gone, goneConsole) = await domus.StartDemoAsync(demo.ReadOnlyDisk, "gone", "on_crash=destroy");
        var (back, backConsole) = await domus.StartDemoAsync(demo.ReadOnlyDisk, "back", "on_crash=restart");
        await keptConsole.DisposeAsync();
        await goneConsole.DisposeAsync();
        await backConsole.DisposeAsync();
        foreach (var domain in new[] { kept, gone, back })
        {
            System.Diagnostics.Process.GetProcessById(domain.DeviceModelPid!.Value).Kill();
        }

        await WaitUntilAsync(async () =>
        {
            var list = await domus.Client.ListAsync();
            return list.Any(d => d.Name == "kept" && d.Status == "crashed")
                && list.All(d => d.Name != "gone")
                && list.Any(d => d.Name == "back" && d.Status == "running" && d.DeviceModelPid != back.DeviceModelPid);
        });

        var crashed = (await domus.Client.GetAsync("kept")).Domain;
        Assert.Equal("----c-", crashed.State);
        Assert.Equal($"the device model, QEMU (pid {kept.DeviceModelPid}), ended unexpectedly", crashed.CrashReason);
        Assert.Contains("----c-", domus.Domus("list", "kept").Out, StringComparison.Ordinal);
        Assert.Equal(back.Id, (await domus.Client.GetAsync("back")).Domain.Id);
        Assert.Equal(0, domus.Domus("destroy", "kept").ExitCode);
        Assert.Equal(0, domus.Domus("destroy", "back").ExitCode);
        Assert.Empty(domus.QemuPids());
    }

    [Fact]
    public async Task KillingDomusdLeavesTheGuestRunningAndANewDomusdFindsIt()
    {
        EndToEndEnvironment.RequireQemu();
        await using var domus = new DomusInstance();
        var (domain, console) = await domus.StartDemoAsync(demo.ReadOnlyDisk, "survivor");
        await using (console)
        {
            await console.WaitForAsync(DemoGuest.InitMessage, Boot);
            await console.WaitForAsync(Prompt, Reply);
        }

        domus.KillDaemon();
        Assert.True(ProcessIdentity.Of(domain.DeviceModelPid!.Value)?.IsAlive, "the guest died with domusd");

        // The CLI starts a new domusd, which must find the domain with its id and state.
        var list = domus.Domus("list");
        Assert.True(list.ExitCode == 0, list.Error);
        var again = (await domus.Client.GetAsync("survivor")).Domain;
        Assert.Equal((domain.Id, domain.DeviceModelPid, "running"), (again.Id, again.DeviceModelPid, again.Status));
        Assert.Matches($@"\nsurvivor\s+{domain.Id}\s+256\s+1\s+[rb-]{{6}}", list.Out);

        await using (var reconnected = new GuestConsole(await domus.Client.ConnectConsoleAsync("survivor")))
        {
            await reconnected.SendLineAsync("echo still-$((40+2))");
            await reconnected.WaitForAsync("still-42", Reply);
        }

        Assert.Equal(0, domus.Domus("destroy", "survivor").ExitCode);
    }

    [Fact]
    public async Task PauseUnpauseRenameAndUptime()
    {
        EndToEndEnvironment.RequireQemu();
        await using var domus = new DomusInstance();
        var create = domus.Domus("create", "-p", EndToEndEnvironment.DemoConfig, $"disk=['{demo.ReadOnlyDisk}']", "name=sleeper");
        Assert.True(create.ExitCode == 0, create.Error);
        Assert.Contains("--p---", domus.Domus("list", "sleeper").Out, StringComparison.Ordinal);
        Assert.Equal(0, domus.Domus("unpause", "sleeper").ExitCode);
        Assert.Matches(@"sleeper\s+\d+\s+256\s+1\s+[rb]", domus.Domus("list", "sleeper").Out);
        Assert.Equal(0, domus.Domus("pause", "sleeper").ExitCode);
        Assert.Contains("--p---", domus.Domus("list", "sleeper").Out, StringComparison.Ordinal);
        Assert.Equal(0, domus.Domus("rename", "sleeper", "dreamer").ExitCode);
        var uptime = domus.Domus("uptime", "dreamer");
        Assert.Matches(@"^Name\s+ID Uptime\ndreamer\s+\d+\s+0:00:\d\d\n$", uptime.Out);
        Assert.Equal("domus unpause: sleeper: no such domain\n", domus.Domus("unpause", "sleeper").Error);
        Assert.Equal(0, domus.Domus("destroy", "dreamer").ExitCode);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not come true within 60 s");
            await Task.Delay(100);
        }
    }
}
