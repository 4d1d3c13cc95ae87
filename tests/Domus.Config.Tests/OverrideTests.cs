using Domus.Config.Model;

namespace Domus.Config.Tests;

/// <summary>Command-line KEY=VALUE overrides, as xm create and xl create took them.</summary>
public sealed class OverrideTests
{
    private const string Base = "name = 'base'\nmemory = 128\nvcpus = 1\n";

    [Fact]
    public void OverridesWinOverTheFile()
    {
        var config = TestConfig.Load(Base, "memory=512", "vnc=0");
        Assert.Equal(512, config.MemoryMib);
        Assert.False(config.Vnc.Enabled);
    }

    [Fact]
    public void ShellUnquotedWordsAreStrings()
    {
        var config = TestConfig.Load(Base, "name=WinXP", "boot=dc", "extra=console=ttyS0 quiet", "kernel=/boot/vmlinuz");
        Assert.Equal("WinXP", config.Name);
        Assert.Equal("dc", config.Boot);
        Assert.Equal("console=ttyS0 quiet", config.Cmdline);
    }

    [Fact]
    public void QuotedValuesListsAndSeveralStatementsInOneArgument()
    {
        var config = TestConfig.Load(Base, "disk=['file:/x.img,hda,w']", "cpus=\"0-3\"; vcpus=2", "name='quoted name'".Replace(" ", "_", StringComparison.Ordinal));
        Assert.Equal("/x.img", Assert.Single(config.Disks).Target);
        Assert.Equal(["0-3"], config.Cpus);
        Assert.Equal(2, config.Vcpus);
        Assert.Equal("quoted_name", config.Name);
    }

    [Fact]
    public void AppendingOverrides()
    {
        var config = TestConfig.Load("kernel='/k'\nextra='quiet'\ndisk=['/a.img,,hda']", "extra+= console=ttyS0", "disk+=['/b.img,,hdb']");
        Assert.Equal("quiet console=ttyS0", config.Cmdline);
        Assert.Equal(2, config.Disks.Count);
    }

    [Fact]
    public void TheScriptCanReadCommandLineValuesAsXmAllowed()
    {
        var config = TestConfig.Load("name = 'web-' + site\nmemory = 128", "site=paris");
        Assert.Equal("web-paris", config.Name);
    }

    [Fact]
    public void ACommandLineOnlyKeyThatTheScriptReadIsNoUnknownKey()
    {
        var result = TestConfig.LoadResult("name = 'web-' + site", "site=paris");
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void BadOverridesNameTheArgument()
    {
        Assert.Equal("command line 'memory=lots':1:8: memory: expected a number, got a string 'lots'", TestConfig.SingleError(Base, "memory=lots"));
        Assert.Equal("command line 'just-a-word':1:1: expected KEY=VALUE, with a lowercase key such as memory=512", TestConfig.SingleError(Base, "just-a-word"));
        Assert.Equal("command line 'Memory=1':1:1: expected KEY=VALUE, with a lowercase key such as memory=512", TestConfig.SingleError(Base, "Memory=1"));
    }

    [Fact]
    public void RelativePathsOnTheCommandLineAreFromTheWorkingDirectory()
    {
        var config = TestConfig.Load(Base, "disk=['rel.img,,hda']");
        Assert.Equal(Path.Combine(Environment.CurrentDirectory, "rel.img"), Assert.Single(config.Disks).Target);
    }

    [Fact]
    public void TypeAndDeviceModelFromTheCommandLine()
    {
        var config = TestConfig.Load(Base, "device_model_version=native", "on_crash=preserve");
        Assert.Equal(DeviceModelKind.Native, config.DeviceModel.Kind);
        Assert.Equal(LifecycleAction.Preserve, config.OnCrash);
    }
}
