using Domus.Config.Model;
using Domus.Config.Specs;

namespace Domus.Config.Tests.Specs;

public sealed class VifSpecParserTests
{
    private static readonly byte[] Seed = [1, 2, 3];

    private static VifConfig Parse(string spec, NicModel defaultModel = NicModel.Pcnet)
    {
        var problems = new List<string>();
        var (vif, _) = VifSpecParser.Parse(spec, defaultModel, Seed, problems.Add);
        Assert.True(vif is not null, string.Join("; ", problems));
        return vif;
    }

    private static List<string> Problems(string spec)
    {
        var problems = new List<string>();
        var (vif, _) = VifSpecParser.Parse(spec, NicModel.Pcnet, Seed, problems.Add);
        Assert.Null(vif);
        return problems;
    }

    [Fact]
    public void AnEmptySpecIsAPcnetOnXenbr0WithAGeneratedXenMac()
    {
        var vif = Parse(string.Empty);
        Assert.Equal(NicModel.Pcnet, vif.Model);
        Assert.Equal(NicType.Ioemu, vif.Type);
        Assert.Equal("xenbr0", vif.Bridge);
        Assert.True(vif.MacGenerated);
        Assert.StartsWith("00:16:3e:", vif.Mac.ToString(), StringComparison.Ordinal);
        Assert.True(vif.Mac[3] < 0x80);
    }

    [Fact]
    public void GeneratedMacsAreStableForTheSameSeedAndDifferForAnother()
    {
        Assert.Equal(Parse("").Mac, Parse("").Mac);
        var (other, _) = VifSpecParser.Parse("", NicModel.Pcnet, [1, 2, 4], _ => { });
        Assert.NotEqual(Parse("").Mac, other!.Mac);
    }

    [Fact]
    public void Xen30ExampleVifs()
    {
        var vif = Parse("type=ioemu, mac=00:16:3E:00:00:11, bridge=xenbr0, model=ne2k_pci");
        Assert.Equal("00:16:3e:00:00:11", vif.Mac.ToString());
        Assert.False(vif.MacGenerated);
        Assert.Equal(NicModel.Ne2kPci, vif.Model);
        Assert.Equal(NicModel.Ne2kPci, Parse("bridge=br1", NicModel.Ne2kPci).Model);
    }

    [Theory]
    [InlineData("model=rtl8139", NicModel.Rtl8139)]
    [InlineData("model=e1000", NicModel.E1000)]
    [InlineData("model=virtio", NicModel.VirtioNet)]
    [InlineData("model=virtio-net-pci", NicModel.VirtioNet)]
    [InlineData("model=ne2000", NicModel.Ne2kPci)]
    [InlineData("type=vif", NicModel.VirtioNet)]
    [InlineData("type=vif, model=e1000", NicModel.E1000)]
    public void Models(string spec, NicModel model)
    {
        Assert.Equal(model, Parse(spec).Model);
    }

    [Fact]
    public void AllParameters()
    {
        var vif = Parse("mac=02:00:00:00:00:01,bridge=br-lan,ip=192.168.1.5 10.0.0.1,vifname=win0,rate=10Mb/s@20ms,script=vif-bridge");
        Assert.Equal("br-lan", vif.Bridge);
        Assert.Equal(["192.168.1.5", "10.0.0.1"], vif.Ip);
        Assert.Equal("win0", vif.Vifname);
        Assert.Equal(new RateLimit(1_250_000, 20_000), vif.Rate);
        Assert.Equal("vif-bridge", vif.Script);
    }

    [Fact]
    public void ParametersDomusDoesNotActOnAreReturned()
    {
        var (_, unused) = VifSpecParser.Parse("script=vif-route,mtu=9000", NicModel.Pcnet, Seed, _ => { });
        Assert.Equal(["script", "mtu"], unused);
    }

    [Theory]
    [InlineData("mac=00:16:3e:00:00", "invalid MAC address")]
    [InlineData("mac=01:00:5e:00:00:01", "multicast")]
    [InlineData("mac=00:00:00:00:00:00", "all zeros")]
    [InlineData("mac=00:16:3e:zz:00:00", "invalid MAC address")]
    [InlineData("bridge=this-name-is-far-too-long", "invalid bridge name")]
    [InlineData("bridge=-x", "invalid bridge name")]
    [InlineData("bridge=a b", "invalid bridge name")]
    [InlineData("model=3c905", "unknown NIC model '3c905'")]
    [InlineData("type=netchannel2", "unknown type")]
    [InlineData("ip=300.1.1.1", "invalid IP address")]
    [InlineData("ip=1.2.3", "invalid IP address")]
    [InlineData("colour=red", "unknown parameter 'colour'")]
    [InlineData("bridge=a,bridge=b", "'bridge' is given twice")]
    [InlineData("rate=fast", "invalid rate")]
    [InlineData("backend=netdom", "driver domains do not exist here")]
    public void BadSpecsSayWhatIsWrong(string spec, string problem)
    {
        Assert.Contains(Problems(spec), p => p.Contains(problem, StringComparison.Ordinal));
    }
}
