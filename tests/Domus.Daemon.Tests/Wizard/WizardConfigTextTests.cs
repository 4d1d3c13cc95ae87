using Domus.Config.Model;
using Domus.Daemon.Configs;

namespace Domus.Daemon.Tests.Wizard;

public sealed class WizardConfigTextTests
{
    private static readonly WizardDomain Web = new()
    {
        Name = "web",
        Uuid = Guid.Parse("06ed00fe-1162-4fc4-b5d8-11993ee4a8b9"),
        Os = "windows",
        MemoryMib = 768,
        Vcpus = 2,
        DiskPath = "/var/lib/domus/images/web.qcow2",
        DiskFormat = "qcow2",
        CdromPath = "/var/lib/domus/images/setup.iso",
        Boot = "dc",
        Bridge = "xenbr0",
        NicModel = "rtl8139",
        Vnc = true,
        VncPassword = "a\"b\\c'd",
        DeviceModel = "qemu",
    };

    [Fact]
    public void TheLoaderReadsBackWhatTheWizardAsked()
    {
        var config = Configs.From(WizardConfigText.Write(Web, "127.0.0.1", DateTimeOffset.UnixEpoch));
        Assert.Equal(("web", Web.Uuid, 768L, 2, "dc"), (config.Name, config.Uuid, config.MemoryMib, config.Vcpus, config.Boot));
        Assert.True(config.Acpi);
        Assert.True(config.Localtime);
        Assert.Collection(
            config.Disks,
            disk => Assert.Equal(("/var/lib/domus/images/web.qcow2", DiskFormat.Qcow2, "hda", DiskAccess.ReadWrite, DiskDeviceType.Disk), (disk.Target, disk.Format, disk.Vdev, disk.Access, disk.Devtype)),
            cdrom => Assert.Equal(("/var/lib/domus/images/setup.iso", DiskFormat.Raw, "hdc", DiskAccess.ReadOnly, DiskDeviceType.Cdrom), (cdrom.Target, cdrom.Format, cdrom.Vdev, cdrom.Access, cdrom.Devtype)));
        var vif = Assert.Single(config.Vifs);
        Assert.Equal(("xenbr0", NicModel.Rtl8139), (vif.Bridge, vif.Model));
        Assert.Equal((true, "a\"b\\c'd"), (config.Vnc.Enabled, config.Vnc.Password));
        Assert.Equal(["pty"], config.Serial);
        Assert.Equal(DeviceModelKind.Qemu, config.DeviceModel.Kind);
    }

    [Fact]
    public void ADomainWithoutDisksNetworkOrScreenSaysSo()
    {
        var bare = Web with { Os = "other", DiskPath = null, CdromPath = null, Bridge = null, Vnc = false, VncPassword = null, Boot = "n", DeviceModel = "native" };
        var config = Configs.From(WizardConfigText.Write(bare, "local socket", DateTimeOffset.UnixEpoch));
        Assert.Empty(config.Disks);
        Assert.Empty(config.Vifs);
        Assert.False(config.Vnc.Enabled);
        Assert.False(config.Acpi);
        Assert.Equal(DeviceModelKind.Native, config.DeviceModel.Kind);
    }

    [Theory]
    [InlineData("plain")]
    [InlineData("quote\" and \\ backslash")]
    [InlineData("new\nline\ttab\u007f\u0085")]
    [InlineData("üñí €")]
    public void QuotedStringsReadBackAsTheyWere(string value) =>
        Assert.Equal(value, Configs.From($"name = 'q'\nvncpasswd = {XlText.Quote(value)}").Vnc.Password);
}
