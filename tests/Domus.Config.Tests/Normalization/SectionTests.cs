using Domus.Config.Model;

namespace Domus.Config.Tests.Normalization;

/// <summary>Key by key: values, xl/xm mappings of deprecated keys, and the errors of bad values.</summary>
public sealed class SectionTests
{
    [Theory]
    [InlineData("builder='hvm'")]
    [InlineData("builder='vmx'")]
    [InlineData("type='hvm'")]
    [InlineData("type='hvm'\nbuilder='hvm'")]
    public void HvmSpellings(string text) => Assert.Equal("hvm", TestConfig.Load(text).Type);

    [Theory]
    [InlineData("type='pv'", "test.cfg:1:6: type: 'pv' asks for a Xen paravirtualized domain")]
    [InlineData("builder='linux'", "test.cfg:1:9: builder: 'linux' asks for a Xen paravirtualized domain")]
    [InlineData("type='hvm'\nbuilder='generic'", "test.cfg:2:9: builder: 'generic' asks for")]
    [InlineData("type='xyz'", "test.cfg:1:6: type: unknown domain type 'xyz' (hvm)")]
    [InlineData("name='a/b'", "test.cfg:1:6: name: 'a/b' is not a valid domain name")]
    [InlineData("name='-x'", "test.cfg:1:6: name: '-x' is not a valid domain name")]
    [InlineData("name='42'", "test.cfg:1:6: name: a name of digits only would be read as a domain id")]
    [InlineData("name='Domain-0'", "test.cfg:1:6: name: 'Domain-0' is the host's own name")]
    [InlineData("name=''", "test.cfg:1:6: name: the name is empty")]
    [InlineData("uuid='xyz'", "test.cfg:1:6: uuid: 'xyz' is not a UUID")]
    [InlineData("uuid='00000000-0000-0000-0000-000000000000'", "test.cfg:1:6: uuid: the all-zero UUID is reserved")]
    [InlineData("memory=0", "test.cfg:1:8: memory: 0 is out of range (1 to 16777216)")]
    [InlineData("memory='lots'", "test.cfg:1:8: memory: expected a number, got a string 'lots'")]
    [InlineData("memory=[1]", "test.cfg:1:8: memory: expected a number, got a list [1]")]
    [InlineData("memory=512\nmaxmem=256", "test.cfg:2:8: maxmem: 256 MiB is less than memory (512 MiB)")]
    [InlineData("vcpus=256", "test.cfg:1:7: vcpus: 256 is out of range (1 to 255)")]
    [InlineData("vcpus=4\nmaxvcpus=2", "test.cfg:2:10: maxvcpus: 2 is less than vcpus (4)")]
    [InlineData("cpus='0-x'", "test.cfg:1:6: cpus: '0-x' in '0-x' is not a CPU or range")]
    [InlineData("cpus='^0-4095'", "test.cfg:1:6: cpus: '^0-4095' leaves no CPU to run on")]
    [InlineData("cpus='nodes:0'", "test.cfg:1:6: cpus: 'nodes:0': NUMA node lists are not supported")]
    [InlineData("vcpus=1\ncpus=['0','1']", "test.cfg:2:6: cpus: 2 per-vCPU entries for 1 vCPUs")]
    [InlineData("boot='x'", "test.cfg:1:6: boot: 'x' is not a boot order")]
    [InlineData("boot='cc'", "test.cfg:1:6: boot: 'cc' names a device twice")]
    [InlineData("firmware='coreboot'", "test.cfg:1:10: firmware: unknown firmware 'coreboot'")]
    [InlineData("ramdisk='/boot/initrd'", "test.cfg:1:9: ramdisk: only applies to direct Linux boot: give the kernel too")]
    [InlineData("kernel='/usr/lib/xen/boot/hvmloader'\nextra='quiet'", "test.cfg:2:7: extra: only applies to direct Linux boot")]
    [InlineData("acpi='maybe'", "test.cfg:1:6: acpi: expected 0 or 1, got a string 'maybe'")]
    [InlineData("rtc_timeoffset='soon'", "test.cfg:1:16: rtc_timeoffset: expected a number")]
    [InlineData("serial='com1'", "test.cfg:1:8: serial: 'com1' is not a serial port target")]
    [InlineData("serial='file:/tmp/a,b'", "test.cfg:1:8: serial: 'file:/tmp/a,b' is not a serial port target")]
    [InlineData("serial=['pty','pty','pty','pty','pty']", "test.cfg:1:8: serial: 5 serial ports; a PC has at most 4")]
    [InlineData("usbdevice='scanner'", "test.cfg:1:11: usbdevice: unknown USB device 'scanner'")]
    [InlineData("soundhw='sb16,beeper'", "test.cfg:1:9: soundhw: unknown sound card 'beeper'")]
    [InlineData("vnclisten='1.2.3.4:x'", "test.cfg:1:11: vnclisten: '1.2.3.4:x': the display 'x' is not a number")]
    [InlineData("vnclisten='exa mple'", "test.cfg:1:11: vnclisten: 'exa mple': 'exa mple' is not an IP address or host name")]
    [InlineData("vnclisten='[::1'", "test.cfg:1:11: vnclisten: '[::1': the '[' of the IPv6 address is not closed")]
    [InlineData("vnclisten='0.0.0.0:1'\nvncdisplay=2", "test.cfg:2:12: vncdisplay: display 2 contradicts vnclisten's :1")]
    [InlineData("vncdisplay=60000", "test.cfg:1:12: vncdisplay: 60000 is out of range (0 to 59635)")]
    [InlineData("keymap='klingon'", "test.cfg:1:8: keymap: unknown keyboard layout 'klingon'")]
    [InlineData("vga='ega'", "test.cfg:1:5: vga: unknown card 'ega'")]
    [InlineData("videoram=1024", "test.cfg:1:10: videoram: 1024 is out of range (1 to 256)")]
    [InlineData("on_crash='panic'", "test.cfg:1:10: on_crash: unknown action 'panic'")]
    [InlineData("restart='sometimes'", "test.cfg:1:9: restart: unknown value 'sometimes'")]
    [InlineData("device_model_version='bochs'", "test.cfg:1:22: device_model_version: unknown device model 'bochs'")]
    [InlineData("device_model='/usr/bin/vmware'", "test.cfg:1:14: device_model: '/usr/bin/vmware' is neither QEMU nor domus-dm")]
    [InlineData("device_model='-x'", "test.cfg:1:14: device_model: '-x' is neither QEMU nor domus-dm")]
    [InlineData("device_model_override='-enable-kvm'", "test.cfg:1:23: device_model_override: '-enable-kvm' is not a program path")]
    [InlineData("device_model_version='native'\ndevice_model='qemu-dm'", "test.cfg:2:14: device_model: 'qemu-dm' contradicts device_model_version")]
    [InlineData("accel='hax'", "test.cfg:1:7: accel: unknown accelerator 'hax'")]
    [InlineData("disk=['file:/x.img,hda,w!']", "test.cfg:1:7: disk: 'file:/x.img,hda,w!': access 'w!' (shared writing) is not supported")]
    [InlineData("disk=['/a.img,,hda', '/b.img,,hda']", "test.cfg:1:22: disk: hda is used by two disks")]
    [InlineData("disk=['/a.img,,hda', '/b.img,,xvda']", "test.cfg:1:22: disk: xvda and hda are the same drive position")]
    [InlineData("disk=['/a.img,,hdc']\ncdrom='/x.iso'", "test.cfg:2:7: cdrom: hdc is used by two disks")]
    [InlineData("disk=[1, ['x']]", "test.cfg:1:10: disk: expected a string in the list, got a list ['x']")]
    [InlineData("vif=['mac=00:16:3e:00:00:01', 'mac=00:16:3E:00:00:01']", "test.cfg:1:31: vif: 'mac=00:16:3E:00:00:01': MAC 00:16:3e:00:00:01 is already used by vif[0]")]
    [InlineData("vif=['model=tulip']", "test.cfg:1:6: vif: 'model=tulip': unknown NIC model 'tulip'")]
    [InlineData("vif=['','']\nnics=1", "test.cfg:2:6: nics: nics = 1, but vif lists 2 interfaces")]
    public void BadValuesAreReportedAtTheirPlace(string text, string error)
    {
        Assert.StartsWith(error, TestConfig.SingleError(text), StringComparison.Ordinal);
    }

    [Fact]
    public void TheFileNameCannotAlwaysServeAsTheName()
    {
        var e = Assert.Throws<Domus.Config.Diagnostics.ConfigException>(() => DomainConfigLoader.Load(new Domus.Config.Syntax.SourceText("/etc/domus/42.cfg", "memory=1", "/"), [], TestConfig.Options()));
        Assert.Equal("/etc/domus/42.cfg: name: the file sets no name, and its file name cannot serve: a name of digits only would be read as a domain id", Assert.Single(e.Errors).ToString());
    }

    [Fact]
    public void QuotedNumbersAndWordsServeAsSusesFilesWriteThem()
    {
        var config = TestConfig.Load("memory = '512'\nvcpus = \"2\"\nlocaltime = '1'\nacpi = 'no'\nrtc_timeoffset = '-60'");
        Assert.Equal((512L, 2, true, false, -60L), (config.MemoryMib, config.Vcpus, config.Localtime, config.Acpi, config.RtcTimeoffset));
    }

    [Fact]
    public void HexMemoryAndOctalAreNumbers()
    {
        Assert.Equal(512, TestConfig.Load("memory = 0x200").MemoryMib);
        Assert.Equal(8, TestConfig.Load("vcpus = 010").Vcpus);
    }

    [Theory]
    [InlineData("cpus='all'", new string[0])]
    [InlineData("cpus='0-3,5,^1'", new[] { "0,2-3,5" })]
    [InlineData("cpus='^0'", new[] { "1-4095" })]
    [InlineData("vcpus=2\ncpus=['2', '3-8,^5']", new[] { "2", "3-4,6-8" })]
    [InlineData("cpus='7, 3, 1-2'", new[] { "1-3,7" })]
    public void CpuAffinity(string text, string[] cpus) => Assert.Equal(cpus, TestConfig.Load(text).Cpus);

    [Theory]
    [InlineData("kernel='/usr/lib/xen/boot/hvmloader'", "seabios")]
    [InlineData("kernel='hvmloader'", "seabios")]
    [InlineData("firmware='bios'", "seabios")]
    [InlineData("firmware='uefi'", "ovmf")]
    [InlineData("bios='ovmf'", "ovmf")]
    [InlineData("firmware='/opt/fw/OVMF.fd'", "/opt/fw/OVMF.fd")]
    [InlineData("firmware='fw/bios.bin'", "/srv/domains/fw/bios.bin")]
    public void Firmware(string text, string firmware) => Assert.Equal(firmware, TestConfig.Load(text).Firmware);

    [Fact]
    public void DirectLinuxBoot()
    {
        var config = TestConfig.Load("kernel='vmlinuz'\nramdisk='/boot/initrd.img'\nroot='/dev/sda1 ro'\nextra='console=ttyS0'");
        Assert.Equal("/srv/domains/vmlinuz", config.Kernel);
        Assert.Equal("/boot/initrd.img", config.Ramdisk);
        Assert.Equal("root=/dev/sda1 ro console=ttyS0", config.Cmdline);
        Assert.Equal("quiet", TestConfig.Load("kernel='/k'\ncmdline='quiet'\nroot='/dev/sda'").Cmdline);
        Assert.Equal("seabios", config.Firmware);
    }

    [Fact]
    public void XmsCdromKeyIsAReadOnlyCdromAsHdc()
    {
        var disk = Assert.Single(TestConfig.Load("cdrom='/isos/winxp.iso'").Disks);
        Assert.Equal(("/isos/winxp.iso", "hdc", DiskDeviceType.Cdrom, DiskAccess.ReadOnly), (disk.Target, disk.Vdev, disk.Devtype, disk.Access));
        Assert.Empty(TestConfig.Load("cdrom=''").Disks);
    }

    [Fact]
    public void NicsAndNe2000FromXen30()
    {
        var config = TestConfig.Load("nics=2\nne2000=1\nvif=['bridge=br1']");
        Assert.Equal(2, config.Vifs.Count);
        Assert.All(config.Vifs, v => Assert.Equal(NicModel.Ne2kPci, v.Model));
        Assert.Equal(["br1", "xenbr0"], config.Vifs.Select(v => v.Bridge));
        Assert.NotEqual(config.Vifs[0].Mac, config.Vifs[1].Mac);
    }

    [Fact]
    public void GeneratedMacsFollowTheDomainUuid()
    {
        var first = TestConfig.Load("uuid='11111111-2222-3333-4444-555555555555'\nvif=['']");
        var again = TestConfig.Load("uuid='11111111-2222-3333-4444-555555555555'\nvif=['']");
        var other = TestConfig.Load("uuid='11111111-2222-3333-4444-555555555556'\nvif=['']");
        Assert.Equal(first.Vifs[0].Mac, again.Vifs[0].Mac);
        Assert.NotEqual(first.Vifs[0].Mac, other.Vifs[0].Mac);
    }

    [Theory]
    [InlineData("nographic=1", false, false)]
    [InlineData("nographic=1\nsdl=1\nvnc=1", false, false)]
    [InlineData("vnc=0", false, false)]
    [InlineData("sdl=1", true, true)]
    [InlineData("sdl=1\nvnc=0", false, true)]
    public void GraphicsSwitches(string text, bool vnc, bool sdl)
    {
        var config = TestConfig.Load(text);
        Assert.Equal((vnc, sdl), (config.Vnc.Enabled, config.Sdl));
    }

    [Fact]
    public void VncSettings()
    {
        var config = TestConfig.Load("vnclisten='0.0.0.0:3'\nvncunused=0\nvncpasswd='secret'\nvncviewer=1\nkeymap='de'");
        Assert.Equal(("0.0.0.0", 3, false, true, true, "de"), (config.Vnc.Listen, config.Vnc.Display, config.Vnc.Unused, config.Vnc.PasswordSet, config.Vnc.Viewer, config.Vnc.Keymap));
        Assert.Equal("secret", config.Vnc.Password);
        Assert.Equal(("::1", 2), (TestConfig.Load("vnclisten='[::1]:2'").Vnc.Listen, TestConfig.Load("vnclisten='[::1]:2'").Vnc.Display!.Value));
        Assert.Equal("vnc.example.org", TestConfig.Load("vnclisten='vnc.example.org'").Vnc.Listen);
    }

    [Fact]
    public void ALongVncPasswordIsAStatedTruncation()
    {
        var result = TestConfig.LoadResult("vncpasswd='123456789'");
        Assert.Equal("test.cfg:1:11: warning: vncpasswd: VNC authentication uses only the first 8 characters of the password", Assert.Single(result.Warnings).ToString());
    }

    [Theory]
    [InlineData("stdvga=1", VgaKind.Stdvga, 16)]
    [InlineData("vga='stdvga'\nvideoram=32", VgaKind.Stdvga, 32)]
    [InlineData("stdvga=0\nvga='stdvga'", VgaKind.Stdvga, 16)]
    [InlineData("stdvga=1\nvga='cirrus'", VgaKind.Cirrus, 8)]
    [InlineData("vga='none'", VgaKind.None, 0)]
    [InlineData("vga='qxl'", VgaKind.Qxl, 128)]
    public void Cards(string text, VgaKind vga, int videoram)
    {
        var config = TestConfig.Load(text);
        Assert.Equal((vga, videoram), (config.Vga, config.VideoramMib));
    }

    [Fact]
    public void TheCirrusCardTakesOnlyTheVideoMemoryQemuGivesIt()
    {
        var error = Assert.Single(TestConfig.Errors("vga = 'cirrus'\nvideoram = 32"));
        Assert.Contains("the Cirrus card has 4, 8 or 16 MiB of video memory, not 32", error, StringComparison.Ordinal);
        Assert.Equal(16, TestConfig.Load("vga = 'cirrus'\nvideoram = 16").VideoramMib);
    }

    [Fact]
    public void PlatformKeys()
    {
        var config = TestConfig.Load("serial=['pty', 'tcp::4555,server,nowait', 'none']\nusbdevice=['tablet','host:046d:c52b']\nsoundhw='sb16, es1370'\nacpi=0\npae=0\napic=0");
        Assert.Equal(["pty", "tcp::4555,server,nowait"], config.Serial);
        Assert.True(config.Usb);
        Assert.Equal(["tablet", "host:046d:c52b"], config.Usbdevice);
        Assert.Equal(["sb16", "es1370"], config.Soundhw);
        Assert.False(config.Acpi || config.Pae || config.Apic);
    }

    [Theory]
    [InlineData("serial = ['none', 'pty']", new[] { "none", "pty" })]
    [InlineData("serial = ['null', 'none', 'file:/var/log/com3.log', 'none', '']", new[] { "null", "none", "file:/var/log/com3.log" })]
    [InlineData("serial = 'none'", new string[0])]
    [InlineData("serial = ['none', 'none']", new string[0])]
    public void SerialEntriesKeepTheirPortsPastNone(string text, string[] ports)
    {
        Assert.Equal(ports, TestConfig.Load(text).Serial);
    }

    [Theory]
    [InlineData("restart='always'", LifecycleAction.Restart, LifecycleAction.Restart, LifecycleAction.Restart)]
    [InlineData("restart='never'", LifecycleAction.Destroy, LifecycleAction.Destroy, LifecycleAction.Destroy)]
    [InlineData("restart='never'\non_reboot='preserve'", LifecycleAction.Destroy, LifecycleAction.Preserve, LifecycleAction.Destroy)]
    [InlineData("on_crash='coredump-restart'\non_poweroff='rename-restart'", LifecycleAction.RenameRestart, LifecycleAction.Restart, LifecycleAction.CoredumpRestart)]
    public void Lifecycle(string text, LifecycleAction poweroff, LifecycleAction reboot, LifecycleAction crash)
    {
        var config = TestConfig.Load(text);
        Assert.Equal((poweroff, reboot, crash), (config.OnPoweroff, config.OnReboot, config.OnCrash));
    }

    [Theory]
    [InlineData("device_model = '/usr/lib64/xen/bin/qemu-dm'", DeviceModelKind.Qemu, null)]
    [InlineData("device_model = 'qemu-dm'", DeviceModelKind.Qemu, null)]
    [InlineData("device_model = '/opt/qemu/bin/qemu-system-x86_64'", DeviceModelKind.Qemu, "/opt/qemu/bin/qemu-system-x86_64")]
    [InlineData("device_model = 'domus-dm'", DeviceModelKind.Native, "domus-dm")]
    [InlineData("device_model_version = 'native'", DeviceModelKind.Native, null)]
    [InlineData("device_model_version = 'qemu-xen'", DeviceModelKind.Qemu, null)]
    [InlineData("device_model_version = 'qemu-xen'\ndevice_model_override = '/usr/local/bin/qemu-system-x86_64'", DeviceModelKind.Qemu, "/usr/local/bin/qemu-system-x86_64")]
    public void DeviceModels(string text, DeviceModelKind kind, string? path)
    {
        Assert.Equal(new DeviceModelConfig(kind, path), TestConfig.Load(text).DeviceModel);
    }

    [Fact]
    public void Accelerators()
    {
        Assert.Equal(Accelerator.Kvm, TestConfig.Load("accel='kvm'").Accel);
        Assert.Equal(Accelerator.Tcg, TestConfig.Load("accel='tcg'").Accel);
    }
}
