using Domus.Config;
using Domus.Config.Syntax;
using Domus.Platform;
using Domus.Vmm.Backends.Disks;
using Domus.Vmm.Machine.Domain;

namespace Domus.Vmm.Machine.Tests.Domain;

/// <summary>
/// What a domain's configuration asks of the machine that domus-dm cannot give is refused with the disk's or vif's
/// name and the reason, before any KVM machine exists (so these run without /dev/kvm), and nothing opened is left open.
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

    [Fact]
    public async Task AQcow2DiskOpensAsQcow2AndARawOneIsNeverProbed()
    {
        if (!File.Exists("/usr/bin/qemu-img"))
        {
            Assert.Skip("qemu-img is missing (Debian package qemu-utils)");
        }

        var directory = Directory.CreateTempSubdirectory("domus-machine-qcow2-");
        try
        {
            var (image, cd) = (Path.Combine(directory.FullName, "disk.qcow2"), Path.Combine(directory.FullName, "cd.qcow2"));
            foreach (var path in new[] { image, cd })
            {
                var (exit, output) = await HostCommand.RunAsync("qemu-img", ["create", "-q", "-f", "qcow2", path, "16M"], CancellationToken.None);
                Assert.True(exit == 0, output);
            }

            // A card domus-dm lacks stops the machine after its drives opened, and they are closed again.
            const string stop = "vif 0: domus-dm has pcnet and virtio-net cards, not e1000";
            Assert.Equal(stop, Assert.Throws<DomainMachineException>(() => DomainMachine.Create(Setup($"disk = ['tap:qcow2:{image},hda,w', 'tap:qcow2:{cd},hdc:cdrom,r']\nvif = ['model=e1000']", "vif1.0"))).Message);
            Qcow2DiskImage.Open(image, readOnly: false).Dispose();
            Qcow2DiskImage.Open(cd, readOnly: false).Dispose();

            // cluster_bits 30: refused by name as qcow2; as raw the same file is just bytes.
            await using (var file = File.OpenWrite(image))
            {
                file.Position = 20;
                await file.WriteAsync(new byte[] { 0, 0, 0, 30 });
            }

            var error = Assert.Throws<DomainMachineException>(() => DomainMachine.Create(Setup($"disk = ['tap:qcow2:{image},hda,w']")));
            Assert.Equal($"disk hda: cannot open {image}: qcow2: cluster_bits 30 is out of range (9 to 21)", error.Message);
            Assert.Equal(stop, Assert.Throws<DomainMachineException>(() => DomainMachine.Create(Setup($"disk = ['file:{image},hda,w']\nvif = ['model=e1000']", "vif1.0"))).Message);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
