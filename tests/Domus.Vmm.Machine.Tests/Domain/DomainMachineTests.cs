using Domus.Config;
using Domus.Config.Syntax;
using Domus.Vmm.Machine.Domain;

namespace Domus.Vmm.Machine.Tests.Domain;

/// <summary>
/// What a domain's configuration asks of the machine that domus-dm cannot give is refused with the vif's index and
/// the reason, before any KVM machine exists (so these run without /dev/kvm), and nothing opened is left open.
/// </summary>
public sealed class DomainMachineTests
{
    private static DomainMachineSetup Setup(string configText, params string[] taps) => new()
    {
        Config = DomainConfigLoader.Load(new SourceText("t.cfg", $"memory = 32\nkernel = '/nonexistent'\n{configText}", "/"), [], new LoadOptions()).Config,
        Console = new TextBackend(),
        FirmwareLog = new TextBackend(),
        Taps = taps,
    };

    [Fact]
    public void EveryVifNeedsItsTap()
    {
        var error = Assert.Throws<DomainMachineException>(() => DomainMachine.Create(Setup("vif = ['model=pcnet', 'model=virtio-net']", "vif1.0")));
        Assert.Equal("vif: the domain has 2 network cards, but 1 taps were given", error.Message);
    }

    [Fact]
    public void ACardDomusDmDoesNotHaveIsRefusedByName()
    {
        var error = Assert.Throws<DomainMachineException>(() => DomainMachine.Create(Setup("vif = ['model=pcnet', 'model=e1000']", "vif1.0", "vif1.1")));
        Assert.Equal("vif 1: domus-dm has pcnet and virtio-net cards, not e1000", error.Message);
    }

    [Fact]
    public void OnlyCom1IsTheConsoleAndAFileThatCannotBeWrittenIsNamed()
    {
        var error = Assert.Throws<DomainMachineException>(() => DomainMachine.Create(Setup("serial = ['null', 'pty']")));
        Assert.StartsWith("serial 1: 'pty': domus-dm's COM1 is", error.Message, StringComparison.Ordinal);
        error = Assert.Throws<DomainMachineException>(() => DomainMachine.Create(Setup("serial = ['file:/nonexistent/com1.log']")));
        Assert.StartsWith("serial 0: cannot write /nonexistent/com1.log:", error.Message, StringComparison.Ordinal);

        // 'none' leaves COM1 without anything attached; the file stays COM2's.
        error = Assert.Throws<DomainMachineException>(() => DomainMachine.Create(Setup("serial = ['none', 'file:/nonexistent/com2.log']")));
        Assert.StartsWith("serial 1: cannot write /nonexistent/com2.log:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ATapThatDomusdDidNotMakeIsRefusedAndLeftUnmade()
    {
        if (!File.Exists("/dev/net/tun") || Environment.UserName != "root")
        {
            Assert.Skip("opening a tap needs /dev/net/tun and root");
        }

        var tap = $"dmnone{Environment.ProcessId % 100000}";
        var error = Assert.Throws<DomainMachineException>(() => DomainMachine.Create(Setup("vif = ['model=virtio-net']", tap)));
        Assert.Equal($"vif 0: there is no tap {tap} (domusd makes it on the domain's bridge)", error.Message);
        Assert.False(Directory.Exists($"/sys/class/net/{tap}"));
    }
}
