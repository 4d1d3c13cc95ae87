using Domus.Config.Model;

namespace Domus.Config.Tests;

/// <summary>The example HVM files of Xen 3.0.0, 3.0.2, 3.0.3 and 3.1 and xl's example, mirrored in Fixtures/.</summary>
public sealed class XenExampleTests
{
    private static readonly DiskConfig ExampleDisk = new()
    {
        Target = "/var/images/min-el3-i386.img",
        Format = DiskFormat.Raw,
        Vdev = "hda",
        Access = DiskAccess.ReadWrite,
        Devtype = DiskDeviceType.Disk,
        Bus = DiskBus.Ide,
        Index = 0,
    };

    private static readonly DiskConfig EmptyCdrom = new()
    {
        Target = null,
        Format = DiskFormat.Raw,
        Vdev = "hdc",
        Access = DiskAccess.ReadOnly,
        Devtype = DiskDeviceType.Cdrom,
        Bus = DiskBus.Ide,
        Index = 2,
    };

    private static void AssertCommonXmValues(DomainConfig config)
    {
        Assert.Equal(128, config.MemoryMib);
        Assert.Equal(1, config.Vcpus);
        Assert.Equal("seabios", config.Firmware);
        Assert.Null(config.Kernel);
        Assert.Equal(new DeviceModelConfig(DeviceModelKind.Qemu, null), config.DeviceModel);
        var vif = Assert.Single(config.Vifs);
        Assert.Equal(NicModel.Pcnet, vif.Model);
        Assert.Equal(NicType.Ioemu, vif.Type);
        Assert.Equal("xenbr0", vif.Bridge);
        Assert.StartsWith("00:16:3e:", vif.Mac.ToString(), StringComparison.Ordinal);
        Assert.False(config.Sdl);
        Assert.True(config.Vnc.Enabled);
        Assert.Equal("127.0.0.1", config.Vnc.Listen);
        Assert.Equal(VgaKind.Cirrus, config.Vga);
        Assert.Equal(LifecycleAction.Destroy, config.OnPoweroff);
        Assert.Equal(LifecycleAction.Restart, config.OnReboot);
    }

    [Fact]
    public void Xen300Vmx()
    {
        var result = TestConfig.LoadFixture("xmexample.vmx-3.0.0");
        var config = result.Config;
        Assert.Equal("ExampleVMXDomain", config.Name);
        AssertCommonXmValues(config);
        Assert.Equal([ExampleDisk], config.Disks);
        Assert.True(config.Vnc.Viewer);
        Assert.Empty(config.Serial);
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void Xen302Hvm()
    {
        var result = TestConfig.LoadFixture("xmexample.hvm-3.0.2");
        var config = result.Config;
        Assert.Equal("ExampleHVMDomain", config.Name);
        AssertCommonXmValues(config);
        Assert.Equal([ExampleDisk], config.Disks);
        Assert.Equal(["pty"], config.Serial);
        Assert.True(config.Vnc.Viewer);
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void Xen303Hvm()
    {
        var result = TestConfig.LoadFixture("xmexample.hvm-3.0.3");
        var config = result.Config;
        Assert.Equal("ExampleHVMDomain", config.Name);
        AssertCommonXmValues(config);
        Assert.Equal([ExampleDisk, EmptyCdrom], config.Disks);
        Assert.Equal(["pty"], config.Serial);
        Assert.False(config.Vnc.Viewer);
        var warning = Assert.Single(result.Warnings);
        Assert.EndsWith("xmexample.hvm-3.0.3: warning: accepted but not acted on: shadow_memory (line 23)", warning.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Xen31Hvm()
    {
        var result = TestConfig.LoadFixture("xmexample.hvm-3.1");
        var config = result.Config;
        Assert.Equal("ExampleHVMDomain", config.Name);
        AssertCommonXmValues(config);
        Assert.Equal([ExampleDisk, EmptyCdrom], config.Disks);
        Assert.False(config.Vnc.PasswordSet);
        Assert.Equal("en-us", config.Vnc.Keymap);
        Assert.Empty(result.Warnings);
    }

    [Theory]
    [InlineData("xmexample.vmx-3.0.0")]
    [InlineData("xmexample.hvm-3.0.2")]
    [InlineData("xmexample.hvm-3.0.3")]
    [InlineData("xmexample.hvm-3.1")]
    public void TheFilesRunUnchangedOn32BitHostsToo(string fixture)
    {
        var config = TestConfig.LoadFixture(fixture, TestConfig.X64Host with { Machine = "i686" }).Config;
        Assert.Equal(DeviceModelKind.Qemu, config.DeviceModel.Kind);
    }

    [Fact]
    public void XlExample()
    {
        var result = TestConfig.LoadFixture("xlexample.hvm");
        var config = result.Config;
        Assert.Equal("example.hvm", config.Name);
        Assert.Equal(128, config.MemoryMib);
        Assert.Equal(2, config.Vcpus);
        Assert.Equal("cd", config.Boot);
        var disk = Assert.Single(config.Disks);
        Assert.Equal(("/dev/vg/guest-volume", "xvda", DiskBus.Ide, 0), (disk.Target, disk.Vdev, disk.Bus, disk.Index));
        Assert.Equal(NicModel.Pcnet, Assert.Single(config.Vifs).Model);
        Assert.True(config.Sdl);
        Assert.True(config.Vnc.Enabled);
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void XlKeysAddedToAnXmExampleTakePrecedenceOverItsOwn()
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "xmexample.hvm-3.1"))
            + "vga = \"stdvga\"\ndevice_model_override = \"/usr/bin/qemu-system-x86_64\"\nfirmware = \"ovmf\"\n";
        var result = TestConfig.LoadResult(text);
        Assert.Equal(VgaKind.Stdvga, result.Config.Vga);
        Assert.Equal(new DeviceModelConfig(DeviceModelKind.Qemu, "/usr/bin/qemu-system-x86_64"), result.Config.DeviceModel);
        Assert.Equal("ovmf", result.Config.Firmware);
        Assert.Equal(
            "accepted but not acted on: kernel (line 15; overridden by firmware), device_model (line 51; overridden by device_model_override), stdvga (line 75; overridden by vga)",
            Assert.Single(result.Warnings).Message);
    }

    [Fact]
    public void TheCommentedOutSettingsOfXen31WorkWhenEnabled()
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "xmexample.hvm-3.1"))
            + """
            shadow_memory = 8
            uuid = "06ed00fe-1162-4fc4-b5d8-11993ee4a8b9"
            vcpus=1
            pae=1
            acpi=1
            apic=1
            cpus = "0-3,5,^1"
            vif = [ 'type=ioemu, mac=00:16:3e:00:00:11, bridge=xenbr0, model=ne2k_pci' ]
            on_poweroff = 'destroy'
            on_reboot   = 'restart'
            on_crash    = 'restart'
            boot="cda"
            snapshot=1
            vnclisten="127.0.0.1"
            vncdisplay=1
            vncunused=1
            vncconsole=0
            nographic=0
            monitor=1
            soundhw='sb16'
            localtime=1
            rtc_timeoffset=3600
            usb=1
            usbdevice='tablet'
            keymap='ja'
            """;
        var result = TestConfig.LoadResult(text);
        var config = result.Config;
        Assert.Equal(["0,2-3,5"], config.Cpus);
        Assert.Equal("00:16:3e:00:00:11", Assert.Single(config.Vifs).Mac.ToString());
        Assert.Equal(NicModel.Ne2kPci, config.Vifs[0].Model);
        Assert.Equal(LifecycleAction.Restart, config.OnCrash);
        Assert.Equal("cda", config.Boot);
        Assert.Equal(1, config.Vnc.Display);
        Assert.Equal(["sb16"], config.Soundhw);
        Assert.True(config.Localtime);
        Assert.Equal(3600, config.RtcTimeoffset);
        Assert.True(config.Usb);
        Assert.Equal(["tablet"], config.Usbdevice);
        Assert.Equal("ja", config.Vnc.Keymap);
        Assert.Equal(TestConfig.FixedUuid, config.Uuid);
        var warning = Assert.Single(result.Warnings).Message;
        Assert.Equal("accepted but not acted on: shadow_memory (line 95), snapshot (line 107), monitor (line 113)", warning);
    }
}
