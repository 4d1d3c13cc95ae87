namespace Domus.Config.Tests;

/// <summary>An invalid file gets every problem at once, each as FILE:LINE:COLUMN: message, in file order.</summary>
public sealed class DiagnosticsTests
{
    [Fact]
    public void EveryProblemOfAFileIsReportedAtOnceInOrder()
    {
        const string text = """
            name = "ok"
            memory = 'much'
            vcpus = 0
            Boot = "c"
            disk = [ 'file:/x.img,hda,w!',
                     'file:/y.img,hde,w' ]
            vif = [ 'mac=zz' ]
            import sys
            on_crash = 'explode'
            """;
        var errors = TestConfig.Errors(text);
        Assert.Equal(
            [
                "test.cfg:2:10: memory: expected a number, got a string 'much'",
                "test.cfg:3:9: vcpus: 0 is out of range (1 to 255)",
                "test.cfg:4:1: 'Boot' is not a valid key name: keys are lowercase letters, digits, '_' and '.', starting with a letter (did you mean 'boot'?)",
                "test.cfg:5:10: disk: 'file:/x.img,hda,w!': access 'w!' (shared writing) is not supported: two domains writing one image corrupt it; use 'w' for one domain or 'r' for many",
                "test.cfg:6:10: disk: 'file:/y.img,hde,w': vdev 'hde': IDE has four positions, hda to hdd",
                "test.cfg:7:9: vif: 'mac=zz': invalid MAC address 'zz' (six hex bytes separated by ':', e.g. 00:16:3e:00:00:11)",
                "test.cfg:8:8: 'import sys' is not supported: of Python, a configuration may only use the 'import os, re' of Xen's example files",
                "test.cfg:9:12: on_crash: unknown action 'explode' (destroy, restart, preserve, rename-restart, coredump-destroy, coredump-restart)",
            ],
            errors);
    }

    [Fact]
    public void OneMistakeIsOneError()
    {
        Assert.Equal("test.cfg:1:10: '1.5' is not an integer: configuration numbers are whole numbers (decimal, 0x hex or 0 octal)", TestConfig.SingleError("memory = 1.5"));
        Assert.Equal("test.cfg:1:8: 'c' is not defined; a string must be quoted: 'c'", TestConfig.SingleError("boot = c\nx = boot"));
    }

    [Fact]
    public void UnknownKeysAndKeysNotActedOnShareOneWarning()
    {
        var result = TestConfig.LoadResult("memroy = 512\nshadow_memory = 8\nvif = ['script=vif-nat']\nmonitor = 1\nfrobnicate = 1\n");
        var warning = Assert.Single(result.Warnings);
        Assert.Equal(
            "test.cfg: warning: accepted but not acted on: shadow_memory (line 2), monitor (line 4), vif[0] script (line 3); " +
            "unknown keys, ignored: memroy (line 1; did you mean 'memory'?), frobnicate (line 5)",
            warning.ToString());
    }

    [Theory]
    [InlineData("device_model_override='/usr/bin/qemu-system-x86_64'\ndevice_model='/usr/lib/xen/bin/qemu-dm'", "device_model (line 2; overridden by device_model_override)")]
    [InlineData("nographic=1\nsdl=0\nvnc=1", "sdl (line 2; overridden by nographic), vnc (line 3; overridden by nographic)")]
    [InlineData("firmware='ovmf'\nbios='seabios'", "bios (line 2; overridden by firmware)")]
    [InlineData("kernel='/usr/lib/xen/boot/hvmloader'\nbios='ovmf'", "kernel (line 1; overridden by bios)")]
    [InlineData("stdvga=0\nvga='stdvga'", "stdvga (line 1; overridden by vga)")]
    [InlineData("kernel='/k'\nroot='/dev/sda1'\nextra='quiet'\ncmdline='ro'", "root (line 2; overridden by cmdline), extra (line 3; overridden by cmdline)")]
    [InlineData("restart='always'\non_poweroff='destroy'\non_reboot='restart'\non_crash='preserve'", "restart (line 1; overridden by on_poweroff, on_reboot and on_crash)")]
    [InlineData("usb=0\nusbdevice='tablet'", "usb (line 1; overridden by usbdevice)")]
    public void AKeyThatAnotherOverridesIsListedWithTheKeyThatWon(string text, string ignored)
    {
        Assert.Equal("accepted but not acted on: " + ignored, Assert.Single(TestConfig.LoadResult(text).Warnings).Message);
    }

    [Theory]
    [InlineData("x = 1", "x (line 1)")]
    [InlineData("xn = 1", "xn (line 1)")]
    [InlineData("sld = 1", "sld (line 1; did you mean 'sdl'?)")]
    [InlineData("vncdisply = 1", "vncdisply (line 1; did you mean 'vncdisplay'?)")]
    public void OnlyAKeyLongEnoughToHoldATypoGetsASuggestion(string text, string unknown)
    {
        Assert.Equal("unknown keys, ignored: " + unknown, Assert.Single(TestConfig.LoadResult(text).Warnings).Message);
    }

    [Fact]
    public void AFileThatCannotBeReadIsOneError()
    {
        var e = Assert.Throws<Diagnostics.ConfigException>(() => DomainConfigLoader.LoadFile("/nonexistent/dir/vm.cfg", []));
        Assert.StartsWith("/nonexistent/dir/vm.cfg: cannot read the configuration: ", Assert.Single(e.Errors).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void BinaryFilesAndHugeFilesAreRefused()
    {
        var directory = Directory.CreateTempSubdirectory("domus-config-");
        try
        {
            var binary = Path.Combine(directory.FullName, "binary.cfg");
            File.WriteAllBytes(binary, [0x6d, 0x3d, 0xff, 0xfe, 0x00]);
            Assert.Equal($"{binary}: the file is not UTF-8 text", Assert.Single(Assert.Throws<Diagnostics.ConfigException>(() => DomainConfigLoader.LoadFile(binary, [])).Errors).ToString());
            var huge = Path.Combine(directory.FullName, "huge.cfg");
            File.WriteAllText(huge, new string('#', DomainConfigLoader.MaxFileBytes + 1));
            Assert.Contains("a domain configuration is at most", Assert.Single(Assert.Throws<Diagnostics.ConfigException>(() => DomainConfigLoader.LoadFile(huge, [])).Errors).Message);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void RelativeImagesAreFoundNextToTheFile()
    {
        var directory = Directory.CreateTempSubdirectory("domus-config-");
        try
        {
            var path = Path.Combine(directory.FullName, "vm.cfg");
            File.WriteAllText(path, "disk = ['file:images/vm.img,hda,w']\n");
            var config = DomainConfigLoader.LoadFile(path, [], TestConfig.Options()).Config;
            Assert.Equal(Path.Combine(directory.FullName, "images", "vm.img"), Assert.Single(config.Disks).Target);
            Assert.Equal("vm", config.Name);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
