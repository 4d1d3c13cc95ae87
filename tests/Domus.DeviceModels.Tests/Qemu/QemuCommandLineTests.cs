using Domus.DeviceModels.Qemu;

namespace Domus.DeviceModels.Tests.Qemu;

public sealed class QemuCommandLineTests
{
    private static IReadOnlyList<string> Argv(string config, AcceleratorChoice? accelerator = null) =>
        QemuCommandLine.Build(Launches.From(config, accelerator: accelerator));

    /// <summary>The value after each occurrence of <paramref name="option"/>.</summary>
    private static List<string> Values(IReadOnlyList<string> argv, string option) =>
        argv.Select((a, i) => (a, i)).Where(p => p.a == option && p.i + 1 < argv.Count).Select(p => argv[p.i + 1]).ToList();

    [Fact]
    public void TheSeedCaseBecomesAnI440fxPcWithItsDiskSerialAndNic()
    {
        var argv = Argv("""
            kernel = "/usr/lib/xen/boot/hvmloader"
            builder='hvm'
            memory = 512
            name = "WinXPHVM"
            vif = [ 'type=ioemu, bridge=xenbr0, mac=00:16:3e:00:00:11' ]
            disk = [ 'file:/root/xenwinxp.img,ioemu:hda,w' ]
            boot="c"
            vnc=0
            serial='pty'
            localtime=1
            """);
        Assert.Equal("guest=WinXPHVM,debug-threads=on", Values(argv, "-name").Single());
        Assert.Equal("06ed00fe-1162-4fc4-b5d8-11993ee4a8b9", Values(argv, "-uuid").Single());
        Assert.Equal("pc,accel=tcg", Values(argv, "-machine").Single());
        Assert.Equal("max", Values(argv, "-cpu").Single());
        Assert.Equal("size=512M", Values(argv, "-m").Single());
        Assert.Equal("1,maxcpus=1", Values(argv, "-smp").Single());
        Assert.Equal("base=localtime", Values(argv, "-rtc").Single());
        Assert.Equal("order=c,menu=off", Values(argv, "-boot").Single());
        Assert.Equal(["if=none,id=drive-hda,file=/root/xenwinxp.img,format=raw"], Values(argv, "-drive"));
        Assert.Contains("ide-hd,drive=drive-hda,bus=ide.0,unit=0,id=disk-hda", Values(argv, "-device"));
        Assert.Equal("tap,id=net-00163e000011,ifname=vif7.0,script=no,downscript=no", Values(argv, "-netdev").Single());
        Assert.Contains("pcnet,netdev=net-00163e000011,mac=00:16:3e:00:00:11,id=nic-00163e000011", Values(argv, "-device"));
        Assert.Equal("socket,id=console,path=/run/domus/domains/7/console.sock,server=on,wait=off,logfile=/run/domus/domains/7-state/console.log,logappend=on", Values(argv, "-chardev").Single());
        Assert.Equal("chardev:console", Values(argv, "-serial").Single());
        Assert.Empty(Values(argv, "-vnc"));
        Assert.Equal("none", Values(argv, "-display").Single());
        Assert.Equal("cirrus", Values(argv, "-vga").Single());
        Assert.Contains("-S", argv);
        Assert.Contains("-daemonize", argv);
        Assert.Contains("-nodefaults", argv);
        Assert.Equal("reboot=reset,shutdown=pause,panic=pause", Values(argv, "-action").Single());
        Assert.Equal("unix:/run/domus/domains/7/control.sock,server=on,wait=off", Values(argv, "-qmp").Single());
    }

    [Theory]
    [InlineData("restart", "reboot=reset")]
    [InlineData("destroy", "reboot=shutdown")]
    [InlineData("preserve", "reboot=shutdown")]
    [InlineData("coredump-restart", "reboot=shutdown")]
    public void QemuResetsARebootingGuestItselfOnlyWhenOnRebootIsRestart(string onReboot, string action) =>
        Assert.StartsWith(action + ",", Values(Argv($"on_reboot = '{onReboot}'"), "-action").Single(), StringComparison.Ordinal);

    [Fact]
    public void IdePositionsCdromsAndFormats()
    {
        var argv = Argv("disk = ['/a.img,,hda', '/b.qcow2,qcow2,xvdb,r', ',hdc:cdrom,r', '/d.iso,,hdd:cdrom,r', '/v.img,,vda', '/s.img,,sdb', '/s.iso,,sdc,cdrom']");
        Assert.Equal(
            [
                "if=none,id=drive-hda,file=/a.img,format=raw",
                "if=none,id=drive-xvdb,file=/b.qcow2,format=qcow2,snapshot=on",
                "if=none,id=drive-hdc,media=cdrom,readonly=on",
                "if=none,id=drive-hdd,file=/d.iso,format=raw,media=cdrom,readonly=on",
                "if=none,id=drive-vda,file=/v.img,format=raw",
                "if=none,id=drive-sdb,file=/s.img,format=raw",
                "if=none,id=drive-sdc,file=/s.iso,format=raw,media=cdrom,readonly=on",
            ],
            Values(argv, "-drive"));
        var devices = Values(argv, "-device");
        Assert.Contains("ide-cd,drive=drive-hdc,bus=ide.1,unit=0,id=disk-hdc", devices);
        Assert.Contains("ide-cd,drive=drive-hdd,bus=ide.1,unit=1,id=disk-hdd", devices);
        Assert.Contains("ide-hd,drive=drive-xvdb,bus=ide.0,unit=1,id=disk-xvdb", devices);
        Assert.Contains("virtio-blk-pci,drive=drive-vda,id=disk-vda", devices);
        Assert.Single(devices, d => d == "virtio-scsi-pci,id=scsi0");
        Assert.Contains("scsi-hd,drive=drive-sdb,bus=scsi0.0,scsi-id=1,id=disk-sdb", devices);
        Assert.Contains("scsi-cd,drive=drive-sdc,bus=scsi0.0,scsi-id=2,id=disk-sdc", devices);
    }

    [Theory]
    [InlineData("model=ne2k_pci", "ne2k_pci")]
    [InlineData("model=rtl8139", "rtl8139")]
    [InlineData("model=e1000", "e1000")]
    [InlineData("model=virtio", "virtio-net-pci")]
    [InlineData("", "pcnet")]
    public void NicModels(string spec, string device)
    {
        var argv = Argv($"vif = ['{spec}']");
        Assert.StartsWith(device + ",netdev=net-00163e", Values(argv, "-device").Single(d => d.Contains("netdev=", StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    [Fact]
    public void UserTextCannotAddQemuOptions()
    {
        var argv = Argv("name = 'a,b'\ndisk = ['vdev=hda, target=/images/x,file=/etc/shadow,if=floppy-img']");
        Assert.Contains("guest=a,,b,debug-threads=on", argv);
        Assert.Contains("if=none,id=drive-hda,file=/images/x,,file=/etc/shadow,,if=floppy-img,format=raw", argv);
        Assert.DoesNotContain(argv, a => a.StartsWith('-') && a.Contains("shadow", StringComparison.Ordinal));
    }

    [Fact]
    public void PathsStartingWithADashStayInsideTheirOption()
    {
        var argv = QemuCommandLine.Build(Launches.From("disk = ['-drive.img,,hda']\nkernel='-k'\n", directory: "/tmp/-x"));
        Assert.Contains("if=none,id=drive-hda,file=/images/-drive.img,format=raw", argv);
        Assert.Equal("/images/-k", Values(argv, "-kernel").Single());
        Assert.All(argv.Where(a => a.StartsWith('-')), option => Assert.Matches("^-[a-zA-Z-]+$", option));
    }

    [Fact]
    public void ControlCharactersAreRefused()
    {
        var launch = Launches.From("memory = 64");
        var bad = launch with { Config = launch.Config with { Name = "a\nb" } };
        Assert.Throws<ArgumentException>(() => QemuCommandLine.Build(bad));
    }

    [Theory]
    [InlineData("vnc=1", "127.0.0.1:0,to=99")]
    [InlineData("vnc=1\nvncunused=0", "127.0.0.1:7")]
    [InlineData("vncdisplay=3\nvnclisten='0.0.0.0'", "0.0.0.0:3")]
    [InlineData("vnclisten='[::1]:2'", "[::1]:2")]
    [InlineData("vncpasswd='secret'\nvncdisplay=1", "127.0.0.1:1,password=on")]
    public void Vnc(string config, string option)
    {
        Assert.Equal(option, Values(Argv(config), "-vnc").Single());
    }

    [Fact]
    public void NoVncWithNographicAndKeymapsOnlyWhenNotUs()
    {
        Assert.Empty(Values(Argv("nographic=1"), "-vnc"));
        Assert.Empty(Values(Argv("vnc=1"), "-k"));
        Assert.Equal("ja", Values(Argv("keymap='ja'"), "-k").Single());
    }

    [Theory]
    [InlineData("stdvga=1", "std")]
    [InlineData("vga='qxl'", "qxl")]
    [InlineData("vga='none'", "none")]
    public void Cards(string config, string vga) => Assert.Equal(vga, Values(Argv(config), "-vga").Single());

    [Theory]
    [InlineData("stdvga=1", new[] { "VGA.vgamem_mb=16" })]
    [InlineData("stdvga=1\nvideoram=8", new[] { "VGA.vgamem_mb=8" })]
    [InlineData("vga='cirrus'", new[] { "cirrus-vga.vgamem_mb=8" })]
    [InlineData("vga='qxl'", new[] { "qxl-vga.ram_size_mb=64", "qxl-vga.vram_size_mb=64" })]
    [InlineData("vga='none'\nvideoram=8", new string[0])]
    public void VideoMemoryAsXlPassesIt(string config, string[] globals) => Assert.Equal(globals, Values(Argv(config), "-global"));

    [Fact]
    public void ClockOffsetsBecomeAStartDate()
    {
        Assert.Equal("base=utc", Values(Argv(""), "-rtc").Single());
        Assert.Equal("base=2026-11-26T13:00:00", Values(Argv("rtc_timeoffset=3600"), "-rtc").Single());
    }

    [Fact]
    public void SerialTargetsInTodaysSpelling()
    {
        Assert.Equal(["chardev:console", "tcp::4555,server=on,wait=off", "file:/var/log/com3.log"], Values(Argv("serial = ['pty', 'tcp::4555,server,nowait', 'file:/var/log/com3.log']"), "-serial"));
        Assert.Equal(["pty"], Values(Argv("serial = ['null', 'pty']"), "-serial").Skip(1));
        Assert.Equal(["none", "file:/var/log/com2.log"], Values(Argv("serial = ['none', 'file:/var/log/com2.log', 'none']"), "-serial"));
    }

    [Fact]
    public void UsbAndSound()
    {
        var argv = Argv("usbdevice = ['tablet', 'host:046d:c52b', 'host:1.4']\nsoundhw = 'sb16,es1370,hda,pcspk'");
        var devices = Values(argv, "-device");
        Assert.Contains("piix3-usb-uhci,id=usb", devices);
        Assert.Contains("usb-tablet,bus=usb.0", devices);
        Assert.Contains("usb-host,bus=usb.0,vendorid=0x046d,productid=0xc52b", devices);
        Assert.Contains("usb-host,bus=usb.0,hostbus=1,hostaddr=4", devices);
        Assert.Equal("none,id=audio0", Values(argv, "-audiodev").Single());
        Assert.Contains("sb16,audiodev=audio0", devices);
        Assert.Contains("ES1370,audiodev=audio0", devices);
        Assert.Contains("hda-duplex,bus=sound-hda.0,audiodev=audio0", devices);
        Assert.Contains("pcspk-audiodev=audio0", Values(argv, "-machine"));
    }

    [Fact]
    public void PlatformFlagsFirmwareAndDirectBoot()
    {
        var argv = Argv("acpi=0\npae=0\napic=0\nfirmware='/opt/bios.bin'\nkernel='/boot/vmlinuz'\nramdisk='/boot/initrd'\ncmdline='console=ttyS0'\nvcpus=2\nmaxvcpus=4");
        Assert.Equal("pc,accel=tcg,acpi=off", Values(argv, "-machine").Single());
        Assert.Equal("max,-pae", Values(argv, "-cpu").Single());
        Assert.Equal("/opt/bios.bin", Values(argv, "-bios").Single());
        Assert.Equal(("/boot/vmlinuz", "/boot/initrd", "console=ttyS0"), (Values(argv, "-kernel").Single(), Values(argv, "-initrd").Single(), Values(argv, "-append").Single()));
        Assert.Equal("2,maxcpus=4", Values(argv, "-smp").Single());
        Assert.Equal("max,-apic", Values(Argv("apic=0"), "-cpu").Single());
        Assert.Equal("/usr/share/ovmf/OVMF.fd", Values(Argv("firmware='uefi'"), "-bios").Single());
    }

    [Fact]
    public void KvmUsesTheProbedCpuModel()
    {
        var argv = Argv("", new AcceleratorChoice(AcceleratorChoice.Kvm, "host,-arch-capabilities", "probed"));
        Assert.Equal("pc,accel=kvm", Values(argv, "-machine").Single());
        Assert.Equal("host,-arch-capabilities", Values(argv, "-cpu").Single());
    }
}
