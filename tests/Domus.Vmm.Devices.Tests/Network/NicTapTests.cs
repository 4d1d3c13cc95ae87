using System.Net;
using Domus.Platform;
using Domus.Tests.Networking;
using Domus.Vmm.Backends.Network;
using Domus.Vmm.Devices.Network;
using Domus.Vmm.Memory;

namespace Domus.Vmm.Devices.Tests.Network;

/// <summary>
/// The native NICs on a real tap on a real bridge, with a real DHCP server (dnsmasq) behind it, in a network
/// namespace of the test's own: the test plays the guest's driver and runs a whole DHCP exchange through the
/// rings — DISCOVER out, OFFER read from the receive ring, REQUEST out, ACK in — and the server records the lease.
/// </summary>
public sealed class NicTapTests : IDisposable
{
    private readonly DirectoryInfo _files = Directory.CreateTempSubdirectory("domus-nic-");
    private readonly GuestMemory _memory = new();
    private readonly FakeInterruptLine _interrupt = new();

    public NicTapTests() => _memory.Add(0, 1 << 20);

    public void Dispose()
    {
        _memory.Dispose();
        _files.Delete(recursive: true);
    }

    [Fact]
    public async Task ThePcnetCardGetsALeaseFromTheDhcpServerOnItsBridge()
    {
        byte[] mac = [0x00, 0x16, 0x3E, 0x4E, 0x54, 0x01];
        using var network = BridgeWithDhcpServer();
        using var tap = network.Inside(() => TapDevice.Open("nic0"));
        var card = new PcnetController(mac, _memory, _interrupt, tap);
        var driver = new PcnetGuestDriver(card, _memory, style: 2);
        Assert.True(driver.Initialize(mac));
        driver.Start();
        tap.StartReceiving(card.Receive);

        await LeaseAsync(driver, mac);
    }

    [Fact]
    public async Task TheVirtioCardGetsALeaseFromTheDhcpServerOnItsBridge()
    {
        byte[] mac = [0x00, 0x16, 0x3E, 0x4E, 0x54, 0x02];
        using var network = BridgeWithDhcpServer();
        using var tap = network.Inside(() => TapDevice.Open("nic0"));
        var card = new VirtioNetDevice(mac, _memory, _interrupt, tap);
        var driver = new VirtioNetGuestDriver(card, _memory);
        driver.Initialize();
        Assert.Equal(mac, driver.Mac());
        tap.StartReceiving(card.Receive);

        await LeaseAsync(driver, mac);
    }

    [Fact]
    public void ATapThatIsNotThereIsRefusedRatherThanMade()
    {
        using var network = BridgeWithDhcpServer();
        var error = Assert.IsType<IOException>(Assert.Throws<InvalidOperationException>(() => network.Inside(() => TapDevice.Open("absent0"))).InnerException);
        Assert.Equal("there is no tap absent0 (domusd makes it on the domain's bridge)", error.Message);
        Assert.False(network.HasInterface("absent0"));
    }

    /// <summary>A namespace with bridge br0 (10.95.0.1/24), the tap nic0 on it, and dnsmasq serving the bridge.</summary>
    private NetworkNamespace BridgeWithDhcpServer()
    {
        NetworkNamespace.Require();
        if (ProgramLocator.Find("dnsmasq") is null)
        {
            Assert.Skip("dnsmasq is not installed (scripts/debian-packages.sh installs dnsmasq-base)");
        }

        var network = new NetworkNamespace();
        network.Run("ip", "link", "add", "br0", "type", "bridge");
        network.Run("ip", "addr", "add", "10.95.0.1/24", "dev", "br0");
        network.Run("ip", "link", "set", "br0", "up");
        network.Run("ip", "tuntap", "add", "dev", "nic0", "mode", "tap");
        network.Run("ip", "link", "set", "nic0", "master", "br0");
        network.Run("ip", "link", "set", "nic0", "up");
        network.Run(
            "dnsmasq", "--conf-file=/dev/null", "--port=0", "--bind-interfaces", "--interface=br0", "--except-interface=lo",
            "--dhcp-range=10.95.0.10,10.95.0.50,255.255.255.0,1h", $"--dhcp-leasefile={Leases}", $"--log-facility={Log}", "--log-dhcp",
            $"--pid-file={Path.Combine(_files.FullName, "dnsmasq.pid")}");
        return network;
    }

    private string Leases => Path.Combine(_files.FullName, "leases");

    private string Log => Path.Combine(_files.FullName, "dnsmasq.log");

    private async Task LeaseAsync(IGuestNicDriver driver, byte[] mac)
    {
        var transaction = (uint)Random.Shared.Next();
        var offer = await AnswerAsync(driver, DhcpFrames.Build(mac, transaction, DhcpFrames.Discover), transaction, DhcpFrames.Offer);
        Assert.StartsWith("10.95.0.", offer.Address.ToString(), StringComparison.Ordinal);
        Assert.Equal(IPAddress.Parse("10.95.0.1"), offer.Server);
        Assert.True(_interrupt.RisingEdges > 0);

        await AnswerAsync(driver, DhcpFrames.Build(mac, transaction, DhcpFrames.Request, offer.Address, offer.Server), transaction, DhcpFrames.Ack);

        var macText = Convert.ToHexStringLower(mac).Chunk(2).Select(c => new string(c)).Aggregate((a, b) => $"{a}:{b}");
        Assert.Contains($"DHCPACK(br0) {offer.Address} {macText}", await File.ReadAllTextAsync(Log, TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Contains($"{macText} {offer.Address}", await File.ReadAllTextAsync(Leases, TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    /// <summary>
    /// Sends <paramref name="message"/>, then reads the receive ring as the driver's interrupt handler would until the
    /// server's answer arrives, sending again every second as DHCP clients do (the first may go out before the new
    /// tap's bridge port forwards, or before dnsmasq listens).
    /// </summary>
    private async Task<(byte Type, IPAddress Address, IPAddress? Server)> AnswerAsync(IGuestNicDriver driver, byte[] message, uint transaction, byte type)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        var resend = DateTime.MinValue;
        while (DateTime.UtcNow < deadline)
        {
            if (DateTime.UtcNow >= resend)
            {
                driver.Send(message);
                resend = DateTime.UtcNow + TimeSpan.FromSeconds(1);
            }

            if (driver.TakeFrame() is { } frame)
            {
                if (DhcpFrames.Read(frame, transaction) is { } answer && answer.Type == type)
                {
                    return answer;
                }

                continue;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"no DHCP message of type {type} reached the receive ring; dnsmasq said:\n{(File.Exists(Log) ? await File.ReadAllTextAsync(Log) : "nothing")}");
    }
}
