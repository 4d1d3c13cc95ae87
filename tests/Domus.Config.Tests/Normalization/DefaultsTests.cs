using Domus.Config.Model;

namespace Domus.Config.Tests.Normalization;

public sealed class DefaultsTests
{
    [Fact]
    public void AnEmptyFileIsAnHvmDomainNamedAfterTheFileWithXlDefaults()
    {
        var config = TestConfig.Load(string.Empty);
        Assert.Equal("test", config.Name);
        Assert.Equal(TestConfig.FixedUuid, config.Uuid);
        Assert.Equal("hvm", config.Type);
        Assert.Equal(128, config.MemoryMib);
        Assert.Equal(128, config.MaxmemMib);
        Assert.Equal(1, config.Vcpus);
        Assert.Equal(1, config.Maxvcpus);
        Assert.Empty(config.Cpus);
        Assert.Equal("cd", config.Boot);
        Assert.Equal("seabios", config.Firmware);
        Assert.Null(config.Kernel);
        Assert.True(config.Acpi && config.Apic && config.Pae);
        Assert.False(config.Localtime);
        Assert.Equal(0, config.RtcTimeoffset);
        Assert.Empty(config.Disks);
        Assert.Empty(config.Vifs);
        Assert.Empty(config.Serial);
        Assert.True(config.Vnc.Enabled);
        Assert.Equal("127.0.0.1", config.Vnc.Listen);
        Assert.Null(config.Vnc.Display);
        Assert.True(config.Vnc.Unused);
        Assert.False(config.Vnc.PasswordSet);
        Assert.Equal("en-us", config.Vnc.Keymap);
        Assert.False(config.Sdl);
        Assert.Equal(VgaKind.Cirrus, config.Vga);
        Assert.Equal(8, config.VideoramMib);
        Assert.False(config.Usb);
        Assert.Equal((LifecycleAction.Destroy, LifecycleAction.Restart, LifecycleAction.Destroy), (config.OnPoweroff, config.OnReboot, config.OnCrash));
        Assert.Equal(new DeviceModelConfig(DeviceModelKind.Qemu, null), config.DeviceModel);
        Assert.Equal(Accelerator.Auto, config.Accel);
    }
}
