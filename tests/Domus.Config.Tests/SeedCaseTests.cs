using System.Text.Json;
using Domus.Config.Json;
using Domus.Config.Model;

namespace Domus.Config.Tests;

/// <summary>
/// The seed case: xmexample.hvm changed to memory = 512, name = "WinXPHVM", disk on /root/xenwinxp.img as
/// hda, boot="c", sdl=1, vnc=0, vncviewer=0, localtime=1. The repository's examples/winxp.hvm is that file.
/// </summary>
public sealed class SeedCaseTests
{
    private static string ExampleFile => Path.Combine(RepositoryRoot.Path, "examples", "winxp.hvm");

    [Fact]
    public void GivesExactlyTheSeedValues()
    {
        var result = DomainConfigLoader.LoadFile(ExampleFile, [], TestConfig.Options());
        var config = result.Config;
        Assert.Empty(result.Warnings);
        Assert.Equal("WinXPHVM", config.Name);
        Assert.Equal(512, config.MemoryMib);
        Assert.Equal(512, config.MaxmemMib);
        var disk = Assert.Single(config.Disks);
        Assert.Equal(("/root/xenwinxp.img", "hda", DiskAccess.ReadWrite, DiskDeviceType.Disk, DiskFormat.Raw), (disk.Target, disk.Vdev, disk.Access, disk.Devtype, disk.Format));
        Assert.Equal("c", config.Boot);
        Assert.True(config.Sdl);
        Assert.False(config.Vnc.Enabled);
        Assert.False(config.Vnc.Viewer);
        Assert.True(config.Localtime);
        Assert.Equal("seabios", config.Firmware);
        Assert.Equal(DeviceModelKind.Qemu, config.DeviceModel.Kind);
    }

    [Fact]
    public void TheJsonCarriesTheSeedValuesUnderTheDocumentedNames()
    {
        var config = DomainConfigLoader.LoadFile(ExampleFile, [], TestConfig.Options()).Config;
        using var json = JsonDocument.Parse(JsonSerializer.Serialize(config, DomainConfigJsonContext.Default.DomainConfig));
        var root = json.RootElement;
        Assert.Equal("WinXPHVM", root.GetProperty("name").GetString());
        Assert.Equal(512, root.GetProperty("memory_mib").GetInt64());
        Assert.Equal("c", root.GetProperty("boot").GetString());
        Assert.True(root.GetProperty("sdl").GetBoolean());
        Assert.False(root.GetProperty("vnc").GetProperty("enabled").GetBoolean());
        Assert.True(root.GetProperty("localtime").GetBoolean());
        var disk = Assert.Single(root.GetProperty("disks").EnumerateArray());
        Assert.Equal("/root/xenwinxp.img", disk.GetProperty("target").GetString());
        Assert.Equal("hda", disk.GetProperty("vdev").GetString());
        Assert.Equal("rw", disk.GetProperty("access").GetString());
    }
}
