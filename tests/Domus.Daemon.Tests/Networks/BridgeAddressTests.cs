using Domus.Daemon.Networks;

namespace Domus.Daemon.Tests.Networks;

public sealed class BridgeAddressTests
{
    [Theory]
    [InlineData("10.0.0.1/24", "10.0.0.0/24", "255.255.255.0", "10.0.0.2", "10.0.0.254")]
    [InlineData("10.0.0.254/24", "10.0.0.0/24", "255.255.255.0", "10.0.0.1", "10.0.0.253")]
    [InlineData("192.168.7.9/30", "192.168.7.8/30", "255.255.255.252", "192.168.7.10", "192.168.7.10")]
    [InlineData("172.16.40.1/12", "172.16.0.0/12", "255.240.0.0", "172.16.40.2", "172.31.255.254")]
    public void TheSubnetAndTheDhcpRangeFollowFromTheAddress(string text, string subnet, string netmask, string first, string last)
    {
        var address = BridgeAddress.Parse(text);
        Assert.Equal(text, address.ToString());
        Assert.Equal(subnet, address.Subnet);
        Assert.Equal(netmask, address.Netmask);
        Assert.Equal((first, last), address.DhcpRange);
    }

    [Theory]
    [InlineData("10.0.0.1", "is not an IPv4 address with a prefix length")]
    [InlineData("10.0.0.1/", "is not an IPv4 address with a prefix length")]
    [InlineData("10.1/24", "is not an IPv4 address with a prefix length")]
    [InlineData("fd00::1/64", "is not an IPv4 address with a prefix length")]
    [InlineData("10.0.0.1/+24", "is not an IPv4 address with a prefix length")]
    [InlineData("10.0.0.1/31", "the prefix length must be 8 to 30")]
    [InlineData("10.0.0.0/24", "is the subnet's network address; give the bridge a host address, e.g. 10.0.0.1/24")]
    [InlineData("10.0.0.255/24", "is the subnet's broadcast address")]
    public void BadAddressesAreRefusedWithTheReason(string text, string reason)
    {
        var error = Assert.Throws<FormatException>(() => BridgeAddress.Parse(text));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.Contains($"'{text}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NftablesTableNamesAreSafeAndDistinct()
    {
        Assert.Matches("^domus_br_0_[0-9a-f]{6}$", NatRules.TableName("br-0"));
        Assert.NotEqual(NatRules.TableName("br-0"), NatRules.TableName("br_0"));
    }
}
