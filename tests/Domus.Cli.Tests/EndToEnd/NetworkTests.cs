using System.Text.RegularExpressions;
using Domus.Images;
using Domus.Tests.Networking;

namespace Domus.Cli.Tests.EndToEnd;

/// <summary>
/// Guests on host bridges, each test inside a network namespace of its own: domus network makes the bridge with
/// its DHCP server (real dnsmasq) and NAT (real nftables), domusd puts each NIC's tap on it, and the guest — the
/// demo image with Debian's generic kernel, under QEMU — gets its address by DHCP and talks over the bridge.
/// </summary>
[Collection(EndToEndGroup.Name)]
public sealed partial class NetworkTests(DemoImageFixture demo)
{
    private static readonly TimeSpan Boot = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan Reply = TimeSpan.FromSeconds(30);
    private const string Prompt = "domus-demo# ";

    [Theory]
    [InlineData("pcnet")]
    [InlineData("rtl8139")]
    [InlineData("virtio-net")]
    public async Task AGuestGetsItsAddressByDhcpAndPingsTheBridge(string model)
    {
        EndToEndEnvironment.RequireQemu();
        NetworkNamespace.Require();
        using var network = new NetworkNamespace();
        await using var domus = new DomusInstance(network);
        Succeeds(domus.Domus("network", "create", "xenbr0", "--address", "10.98.0.1/24", "--dhcp"));

        var mac = "00:16:3e:5a:01:02";
        var (domain, console) = await domus.StartDemoAsync($"file:{demo.GenericKernelImage},hda,r", "net1", $"vif=['mac={mac},bridge=xenbr0,model={model}']");
        await using (console)
        {
            var booted = await console.WaitForAsync(DemoGuest.AddressMessage("eth0", "10.98.0."), Boot);
            var address = AddressOf(booted);
            await console.SendLineAsync(string.Empty);
            await console.WaitForAsync(Prompt, Reply);
            await console.SendLineAsync("ping -c 1 -W 5 10.98.0.1");
            await console.WaitForAsync("1 packets received", Reply);

            var tap = $"vif{domain.Id}.0";
            Assert.True(network.HasInterface(tap));
            Assert.Contains($"{mac} {address}", await File.ReadAllTextAsync(Path.Combine(domus.Home, "networks", "xenbr0", "leases")), StringComparison.Ordinal);
            var ports = domus.Domus("network", "list");
            Assert.Matches($@"xenbr0\s+10\.98\.0\.1/24\s+10\.98\.0\.2-10\.98\.0\.254\s+no\s+up\s+{Regex.Escape(tap)}", ports.Out);
            Assert.Matches($@"0\s+{mac}\s+xenbr0\s+{Regex.Escape(model)}\s+{Regex.Escape(tap)}", domus.Domus("network-list", "net1").Out);

            var inUse = domus.Domus("network", "delete", "xenbr0");
            Assert.Equal(1, inUse.ExitCode);
            Assert.Contains($"network xenbr0 is in use by {tap}", inUse.Error, StringComparison.Ordinal);

            Succeeds(domus.Domus("destroy", "net1"));
            Assert.False(network.HasInterface(tap));
        }

        var dhcpServer = DhcpServerPid(domus);
        Succeeds(domus.Domus("network", "delete", "xenbr0"));
        Assert.False(network.HasInterface("xenbr0"));
        Assert.False(Domus.Platform.ProcessIdentity.Of(dhcpServer)?.IsAlive ?? false);
        Assert.False(Directory.Exists(Path.Combine(domus.Home, "networks", "xenbr0")));
    }

    [Fact]
    public async Task NatTakesAGuestBeyondTheHostsUplink()
    {
        EndToEndEnvironment.RequireQemu();
        NetworkNamespace.Require();
        using var network = new NetworkNamespace();
        using var outside = network.LinkTo("192.0.2.2/24", "192.0.2.1/24");
        network.Run("ip", "route", "add", "default", "via", "192.0.2.1");
        await using var domus = new DomusInstance(network);
        Succeeds(domus.Domus("network", "create", "natbr0", "--address", "10.97.0.1/24", "--dhcp", "--nat"));

        var (_, console) = await domus.StartDemoAsync($"file:{demo.GenericKernelImage},hda,r", "nat1", "vif=['bridge=natbr0,model=e1000']");
        await using (console)
        {
            await console.WaitForAsync(DemoGuest.AddressMessage("eth0", "10.97.0."), Boot);
            await console.SendLineAsync(string.Empty);
            await console.WaitForAsync(Prompt, Reply);

            // The outside namespace has no route to 10.97.0.0/24: only the host's masquerading brings the answer back.
            await console.SendLineAsync("ping -c 1 -W 5 192.0.2.1");
            await console.WaitForAsync("1 packets received", Reply);
            Succeeds(domus.Domus("destroy", "nat1"));
        }

        Succeeds(domus.Domus("network", "delete", "natbr0"));
        Assert.DoesNotContain("domus_natbr0", network.Run("nft", "list", "tables"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACardPluggedIntoARunningGuestWorksAndLeavesWhenTheGuestLetsGo()
    {
        EndToEndEnvironment.RequireQemu();
        NetworkNamespace.Require();
        using var network = new NetworkNamespace();
        await using var domus = new DomusInstance(network);
        Succeeds(domus.Domus("network", "create", "xenbr0", "--address", "10.94.0.1/24", "--dhcp"));
        var (domain, console) = await domus.StartDemoAsync($"file:{demo.GenericKernelImage},hda,r", "hot1");
        await using (console)
        {
            await console.WaitForAsync(DemoGuest.InitMessage, Boot);
            await console.SendLineAsync(string.Empty);
            await console.WaitForAsync(Prompt, Reply);

            var attach = domus.Domus("network-attach", "hot1", "bridge=xenbr0", "model=e1000");
            Succeeds(attach);
            var tap = $"vif{domain.Id}.0";
            Assert.Matches($@"^0 00:16:3e:[0-9a-f:]{{8}} xenbr0 e1000 {Regex.Escape(tap)}$", attach.Out.Trim());
            Assert.True(network.HasInterface(tap));
            await console.SendLineAsync("while [ ! -e /sys/class/net/eth0 ]; do sleep 1; done; ifconfig eth0 up; udhcpc -i eth0 -s /etc/udhcpc.script -q -n -t 10 -T 2 2>/dev/null && ping -c 1 -W 5 10.94.0.1");
            await console.WaitForAsync(DemoGuest.AddressMessage("eth0", "10.94.0."), Reply);
            await console.WaitForAsync("1 packets received", Reply);

            foreach (var (arguments, error) in new (string[], string)[]
            {
                (["network-attach", "hot1", "bridge=nosuchbr0"], "bridge 'nosuchbr0' does not exist on this host"),
                (["network-attach", "hot1", "bridge=xenbr0", "mac=00:16:3e:00:00:0g"], "vif 'bridge=xenbr0,mac=00:16:3e:00:00:0g'"),
                (["network-detach", "hot1", "5"], "hot1 has no network card 5"),
            })
            {
                var refused = domus.Domus(arguments);
                Assert.Equal(1, refused.ExitCode);
                Assert.Contains(error, refused.Error, StringComparison.Ordinal);
            }

            Assert.Single(domus.Domus("network-list", "hot1").Out.Trim().Split('\n').Skip(1));
            Succeeds(domus.Domus("network-detach", "hot1", "0"));
            Assert.False(network.HasInterface(tap));
            Assert.Empty(domus.Domus("network-list", "hot1").Out.Trim().Split('\n').Skip(1));
            await console.SendLineAsync("[ -e /sys/class/net/eth0 ] || echo card-$((40+2))-gone");
            await console.WaitForAsync("card-42-gone", Reply);
            Succeeds(domus.Domus("destroy", "hot1"));
        }
    }

    [Fact]
    public async Task TheDhcpServerOutlivesDomusdAndIsStartedAgainWhenItDies()
    {
        NetworkNamespace.Require();
        using var network = new NetworkNamespace();
        await using var domus = new DomusInstance(network);
        Succeeds(domus.Domus("network", "create", "xenbr1", "--address", "10.96.0.1/24", "--dhcp"));
        var first = DhcpServerPid(domus);

        domus.KillDaemon();
        Succeeds(domus.Domus("network", "list"));
        Assert.Equal(first, DhcpServerPid(domus));

        System.Diagnostics.Process.GetProcessById(first).Kill();
        DomusInstance.WaitUntilGone(first);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        var restarted = DhcpServerPidOrNull(domus);
        while (DateTime.UtcNow < deadline && (restarted is null || restarted == first))
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
            restarted = DhcpServerPidOrNull(domus);
        }

        Assert.NotNull(restarted);
        Assert.NotEqual(first, restarted);
        Assert.Contains("DHCP server is not running; starting it again", await File.ReadAllTextAsync(domus.Locations.DaemonLog, TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Succeeds(domus.Domus("network", "delete", "xenbr1"));
    }

    [Fact]
    public async Task ANetworkLostWithTheHostIsMadeAgainByTheNextDomusd()
    {
        NetworkNamespace.Require();
        using var network = new NetworkNamespace();
        await using var domus = new DomusInstance(network);
        Succeeds(domus.Domus("network", "create", "natbr1", "--address", "10.91.0.1/24", "--dhcp", "--nat"));
        var before = DhcpServerPid(domus);

        // What a host reboot leaves: no domusd, no DHCP server, no bridge, no NAT rules.
        domus.KillDaemon();
        System.Diagnostics.Process.GetProcessById(before).Kill();
        DomusInstance.WaitUntilGone(before);
        network.Run("ip", "link", "del", "natbr1");
        network.Run("nft", "flush", "ruleset");

        Succeeds(domus.Domus("network", "list"));
        Assert.Contains("inet 10.91.0.1/24", network.Run("ip", "-4", "addr", "show", "dev", "natbr1"), StringComparison.Ordinal);
        Assert.Contains("masquerade", network.Run("nft", "list", "ruleset"), StringComparison.Ordinal);
        Assert.True(Domus.Platform.ProcessIdentity.Of(DhcpServerPid(domus))?.IsAlive);
        Assert.Matches(@"natbr1\s+10\.91\.0\.1/24\s+10\.91\.0\.2-10\.91\.0\.254\s+yes\s+up", domus.Domus("network", "list").Out);
        Succeeds(domus.Domus("network", "delete", "natbr1"));
    }

    [Fact]
    public async Task BadNetworksAndDuplicateMacsAreRefusedAndLeaveNothing()
    {
        EndToEndEnvironment.RequireQemu();
        NetworkNamespace.Require();
        using var network = new NetworkNamespace();
        await using var domus = new DomusInstance(network);
        network.Run("ip", "tuntap", "add", "dev", "foreign0", "mode", "tap");
        (string[] Arguments, string Error)[] cases =
        [
            (["network", "create", "-bad"], "unknown option '-bad'"),
            (["network", "create", "bad/name"], "network name 'bad/name': a bridge's name is 1 to 15 characters"),
            (["network", "create", "br0", "--dhcp"], "network br0: a DHCP server needs the bridge's address"),
            (["network", "create", "br0", "--address", "10.1.2.0/24"], "address '10.1.2.0/24' is the subnet's network address"),
            (["network", "create", "br0", "--address", "10.1.2.300/24"], "address '10.1.2.300/24' is not an IPv4 address with a prefix length"),
            (["network", "create", "foreign0"], "foreign0 already exists on this host, and domus did not create it"),
            (["network", "delete", "nosuch0"], "nosuch0: no such network"),
        ];
        foreach (var (arguments, error) in cases)
        {
            var run = domus.Domus(arguments);
            Assert.NotEqual(0, run.ExitCode);
            Assert.Contains(error, run.Error, StringComparison.Ordinal);
        }

        Assert.False(network.HasInterface("br0"));
        Succeeds(domus.Domus("network", "create", "xenbr0"));
        Succeeds(domus.Domus("create", "-p", EndToEndEnvironment.DemoConfig, $"disk=['file:{demo.Image},hda,r']", "name=first", "vif=['mac=00:16:3e:00:00:01,bridge=xenbr0']"));

        (string Vif, string Error)[] macs =
        [
            ("vif=['mac=00:16:3e:00:00:01,bridge=xenbr0']", "vif: MAC 00:16:3e:00:00:01 is already on bridge xenbr0, used by domain first"),
            ("vif=['mac=00:16:3e:00:00:02,bridge=xenbr0', 'mac=00:16:3e:00:00:02,bridge=xenbr0']", "MAC 00:16:3e:00:00:02 is already used by vif[0]"),
            ("vif=['mac=00:16:3e:00:00:0g,bridge=xenbr0']", "00:16:3e:00:00:0g"),
        ];
        foreach (var (vif, error) in macs)
        {
            var run = domus.Domus("create", "-p", EndToEndEnvironment.DemoConfig, $"disk=['file:{demo.Image},hda,r']", "name=second", vif);
            Assert.Equal(1, run.ExitCode);
            Assert.Contains(error, run.Error, StringComparison.Ordinal);
        }

        Assert.Equal(["first"], (await domus.Client.ListAsync(TestContext.Current.CancellationToken)).Select(d => d.Name));
        Assert.Single(network.Run("ip", "-o", "link", "show").Split('\n'), l => l.Contains(": vif", StringComparison.Ordinal));
    }

    private static int DhcpServerPid(DomusInstance domus) =>
        DhcpServerPidOrNull(domus) ?? throw new Xunit.Sdk.XunitException($"no DHCP server runs: {domus.Domus("network", "list").Out}");

    private static int? DhcpServerPidOrNull(DomusInstance domus) =>
        domus.Client.NetworksAsync().GetAwaiter().GetResult().Single().DhcpServerPid;

    private static string AddressOf(string console) => AddressLine().Match(console).Groups[1].Value;

    private static void Succeeds(CliRun run) => Assert.True(run.ExitCode == 0, $"{run.Error}{run.Out}");

    [GeneratedRegex(@"eth0 has the address (\d+\.\d+\.\d+\.\d+)")]
    private static partial Regex AddressLine();
}
