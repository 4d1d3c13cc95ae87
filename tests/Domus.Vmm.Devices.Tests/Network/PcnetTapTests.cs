using System.Net;
using Domus.Platform;
using Domus.Tests.Networking;
using Domus.Vmm.Backends.Network;
using Domus.Vmm.Devices.Network;
using Domus.Vmm.Memory;

namespace Domus.Vmm.Devices.Tests.Network;

/// <summary>
/// The PCnet card on a real tap on a real bridge, with a real DHCP server (dnsmasq) behind it, in a network
/// namespace of the test's own: the test plays the guest's driver and runs a whole DHCP exchange through the
/// rings — DISCOVER out, OFFER read from the receive ring, REQUEST out, ACK in — and the server records the lease.
/// </summary>
public sealed class PcnetTapTests : IDisposable
{
    private static readonly byte[] Mac = [0x00, 0x16, 0x3E, 0x4E, 0x54, 0x01];
    private readonly DirectoryInfo _files = Directory.CreateTempSubdirectory("domus-pcnet-");
    private readonly GuestMemory _memory = new();

    public void Dispose()
    {
        _memory.Dispose();
        _files.Delete(recursive: true);
    }

    [Fact]
    public async Task TheCardGetsALeaseFromTheDhcpServerOnItsBridge()
    {
        NetworkNamespace.Require();
        if (ProgramLocator.Find("dnsmasq") is null)
        {
            Assert.Skip("dnsmasq is not installed (scripts/debian-packages.sh installs dnsmasq-base)");
        }

        using var network = new NetworkNamespace();
        network.Run("ip", "link", "add", "br0", "type", "bridge");
        network.Run("ip", "addr", "add", "10.95.0.1/24", "dev", "br0");
        network.Run("ip", "link", "set", "br0", "up");
        network.Run("ip", "tuntap", "add", "dev", "pcnet0", "mode", "tap");
        network.Run("ip", "link", "set", "pcnet0", "master", "br0");
        network.Run("ip", "link", "set", "pcnet0", "up");
        var leases = Path.Combine(_files.FullName, "leases");
        var log = Path.Combine(_files.FullName, "dnsmasq.log");
        network.Run(
            "dnsmasq", "--conf-file=/dev/null", "--port=0", "--bind-interfaces", "--interface=br0", "--except-interface=lo",
            "--dhcp-range=10.95.0.10,10.95.0.50,255.255.255.0,1h", $"--dhcp-leasefile={leases}", $"--log-facility={log}", "--log-dhcp",
            $"--pid-file={Path.Combine(_files.FullName, "dnsmasq.pid")}");

        _memory.Add(0, 1 << 20);
        var interrupt = new FakeInterruptLine();
        using var tap = network.Inside(() => TapDevice.Open("pcnet0"));
        var card = new PcnetController(Mac, _memory, interrupt, tap);
        var driver = new PcnetGuestDriver(card, _memory, style: 2);
        Assert.True(driver.Initialize(Mac));
        driver.Start();
        tap.StartReceiving(card.Receive);

        var transaction = (uint)Random.Shared.Next();
        driver.Send(DhcpFrames.Build(Mac, transaction, DhcpFrames.Discover));
        var offer = await AnswerAsync(driver, transaction, DhcpFrames.Offer, log);
        Assert.StartsWith("10.95.0.", offer.Address.ToString(), StringComparison.Ordinal);
        Assert.Equal(IPAddress.Parse("10.95.0.1"), offer.Server);
        Assert.True(interrupt.RisingEdges > 0);

        driver.Send(DhcpFrames.Build(Mac, transaction, DhcpFrames.Request, offer.Address, offer.Server));
        await AnswerAsync(driver, transaction, DhcpFrames.Ack, log);

        Assert.Contains($"DHCPACK(br0) {offer.Address} 00:16:3e:4e:54:01", await File.ReadAllTextAsync(log, TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Contains($"00:16:3e:4e:54:01 {offer.Address}", await File.ReadAllTextAsync(leases, TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    /// <summary>Reads the receive ring as the driver's interrupt handler would, until the server's answer arrives.</summary>
    private static async Task<(byte Type, IPAddress Address, IPAddress? Server)> AnswerAsync(PcnetGuestDriver driver, uint transaction, byte type, string log)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            if (driver.TakeReceived() is { } received)
            {
                if (DhcpFrames.Read(received.Frame, transaction) is { } answer && answer.Type == type)
                {
                    return answer;
                }

                continue;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"no DHCP message of type {type} reached the receive ring; dnsmasq said:\n{(File.Exists(log) ? await File.ReadAllTextAsync(log) : "nothing")}");
    }
}
