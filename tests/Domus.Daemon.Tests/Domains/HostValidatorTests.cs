using Domus.Platform;
using Domus.Daemon.Domains;
using Domus.Daemon.Host;
using Domus.Config.Model;
using Domus.DeviceModels;
using Domus.DeviceModels.Native;
using Domus.DeviceModels.Qemu;

namespace Domus.Daemon.Tests.Domains;

public sealed class HostValidatorTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("domus-validator-");

    public void Dispose() => _directory.Delete(recursive: true);

    private string File(string name, byte[] content)
    {
        var path = Path.Combine(_directory.FullName, name);
        System.IO.File.WriteAllBytes(path, content);
        return path;
    }

    private static IReadOnlyList<string> Problems(string config, string qemu = "/bin/true") =>
        new HostValidator(new Dictionary<DeviceModelKind, IDeviceModel> { [DeviceModelKind.Qemu] = new QemuDeviceModel(qemu), [DeviceModelKind.Native] = new NativeDeviceModel() })
            .Problems(Configs.From(config));

    [Fact]
    public void AGoodDomainHasNoProblems()
    {
        var image = File("ok.img", new byte[512]);
        var qcow2 = File("ok.qcow2", [(byte)'Q', (byte)'F', (byte)'I', 0xfb, 0, 0, 0, 3]);
        Assert.Empty(Problems($"memory = 64\ndisk = ['{image},,hda', '{qcow2},qcow2,hdb']\nserial = 'pty'"));
    }

    [Fact]
    public void EveryProblemIsReportedAtOnce()
    {
        var image = File("shared.img", new byte[512]);
        var notQcow2 = File("fake.qcow2", new byte[512]);
        var problems = Problems(
            $"""
            memory = 16777216
            disk = ['/nonexistent/a.img,,hda', '{notQcow2},qcow2,hdb', '{image},,hdc', '{image},,hdd,r', '{_directory.FullName},,vda']
            kernel = '/nonexistent/vmlinuz'
            vif = ['bridge=nosuchbr7']
            serial = 'stdio'
            """,
            qemu: "qemu-system-missing");
        Assert.Equal(
            [
                $"memory = 16777216 MiB is more than this host has ({HostFacts.Memory().TotalMib} MiB)",
                "disk hda: /nonexistent/a.img does not exist",
                $"disk hdb: {notQcow2} is not a qcow2 image (format = qcow2)",
                $"disk hdd: {image} is already hdc's image; one image serves one drive",
                $"disk vda: {_directory.FullName} is a directory, not an image",
                "kernel: /nonexistent/vmlinuz does not exist",
                "vif 0: bridge 'nosuchbr7' does not exist on this host (create it, e.g. 'ip link add nosuchbr7 type bridge', or name another)",
                "serial 'stdio': the device model runs in the background and has no terminal; use 'pty' and domus console",
                "QEMU is not installed: 'qemu-system-missing' is not on PATH (Debian: apt-get install qemu-system-x86)",
            ],
            problems);
    }

    [Fact]
    public void NativeDomainsAskOnlyForWhatDomusDmOffers()
    {
        var image = File("n.img", new byte[512]);
        var qcow2 = File("n.qcow2", [(byte)'Q', (byte)'F', (byte)'I', 0xfb, 0, 0, 0, 3]);
        var problems = Problems($"device_model_version = 'native'\naccel = 'tcg'\nvnc = 1\nvif = ['bridge=lo', 'bridge=lo,model=virtio-net', 'bridge=lo,model=e1000', 'bridge=lo,rate=10Mb/s']\ndisk = ['{qcow2},qcow2,hda', '{image},,vda']\nserial = ['pty', 'pty']");
        foreach (var expected in new[] { "accel = \"tcg\": domus-dm runs guests on KVM only", $"disk hda: {qcow2}: qcow2: the file ends inside its header (8 bytes)", "disk vda: domus-dm has IDE drives only", "vif 2: model=e1000: domus-dm has pcnet and virtio-net cards", "vif 3: rate: domus-dm does not limit", "serial 1: 'pty': domus-dm has COM1", "vga = \"cirrus\": domus-dm's graphics card is the standard VGA" })
        {
            Assert.Contains(problems, p => p.StartsWith(expected, StringComparison.Ordinal));
        }

        Assert.DoesNotContain(problems, p => p.Contains("domus-dm", StringComparison.Ordinal) && (p.StartsWith("vif 0", StringComparison.Ordinal) || p.StartsWith("vif 1", StringComparison.Ordinal)));

        if (!System.IO.File.Exists(NativeDeviceModel.KvmDevice))
        {
            Assert.Contains(problems, p => p.Contains("needs KVM", StringComparison.Ordinal));
        }
    }
}
