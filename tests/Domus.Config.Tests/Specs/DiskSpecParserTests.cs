using Domus.Config.Model;
using Domus.Config.Specs;

namespace Domus.Config.Tests.Specs;

public sealed class DiskSpecParserTests
{
    private const string Base = "/srv/domains";

    private static DiskConfig Parse(string spec)
    {
        var problems = new List<string>();
        var disk = DiskSpecParser.Parse(spec, Base, problems.Add);
        Assert.True(disk is not null, string.Join("; ", problems));
        return disk;
    }

    private static List<string> Problems(string spec)
    {
        var problems = new List<string>();
        Assert.Null(DiskSpecParser.Parse(spec, Base, problems.Add));
        Assert.NotEmpty(problems);
        return problems;
    }

    [Theory]
    // Xen 3.0's example files.
    [InlineData("file:/var/images/min-el3-i386.img,ioemu:hda,w", "/var/images/min-el3-i386.img", "hda", "rw", "disk", "raw")]
    [InlineData("file:/var/images/min-el3-i386.img,hda,w", "/var/images/min-el3-i386.img", "hda", "rw", "disk", "raw")]
    [InlineData(",hdc:cdrom,r", null, "hdc", "ro", "cdrom", "raw")]
    [InlineData("file:/root/mytest.iso,hdc:cdrom,r", "/root/mytest.iso", "hdc", "ro", "cdrom", "raw")]
    [InlineData("phy:hda1,hdb,r", "/dev/hda1", "hdb", "ro", "disk", "raw")]
    // xl-disk-configuration(5): three spellings of one disk, and a CD-ROM.
    [InlineData("/dev/vg/guest-volume,,hda", "/dev/vg/guest-volume", "hda", "rw", "disk", "raw")]
    [InlineData("/dev/vg/guest-volume,raw,hda,rw", "/dev/vg/guest-volume", "hda", "rw", "disk", "raw")]
    [InlineData("format=raw, vdev=hda, access=rw, target=/dev/vg/guest-volume", "/dev/vg/guest-volume", "hda", "rw", "disk", "raw")]
    [InlineData("/root/image.iso,,hdc,cdrom", "/root/image.iso", "hdc", "ro", "cdrom", "raw")]
    [InlineData("/root/image.iso,,hdc,devtype=cdrom", "/root/image.iso", "hdc", "ro", "cdrom", "raw")]
    [InlineData("/dev/vg/guest-volume,raw,xvda,rw", "/dev/vg/guest-volume", "xvda", "rw", "disk", "raw")]
    // Backend prefixes.
    [InlineData("tap:aio:/x.img,xvda,w", "/x.img", "xvda", "rw", "disk", "raw")]
    [InlineData("tap:qcow2:/x.qcow2,hda,w", "/x.qcow2", "hda", "rw", "disk", "qcow2")]
    [InlineData("aio:/x.img,hda,w", "/x.img", "hda", "rw", "disk", "raw")]
    [InlineData("qcow2:/x.qcow2,xvda,w", "/x.qcow2", "xvda", "rw", "disk", "qcow2")]
    [InlineData("/x.qcow2,qcow2,hda,w", "/x.qcow2", "hda", "rw", "disk", "qcow2")]
    [InlineData("/x.img,format=qcow2,vdev=hdb", "/x.img", "hdb", "rw", "disk", "qcow2")]
    // Relative images are found next to the configuration file; target= takes commas.
    [InlineData("file:win.img,hda,w", "/srv/domains/win.img", "hda", "rw", "disk", "raw")]
    [InlineData("vdev=hda, target=/images/a,b.img", "/images/a,b.img", "hda", "rw", "disk", "raw")]
    [InlineData("  /x.img , , hda , r , discard", "/x.img", "hda", "ro", "disk", "raw")]
    public void SpecsParseToTheirValues(string spec, string? target, string vdev, string access, string devtype, string format)
    {
        var disk = Parse(spec);
        Assert.Equal(target, disk.Target);
        Assert.Equal(vdev, disk.Vdev);
        Assert.Equal(access, disk.Access == DiskAccess.ReadOnly ? "ro" : "rw");
        Assert.Equal(devtype, disk.Devtype == DiskDeviceType.Cdrom ? "cdrom" : "disk");
        Assert.Equal(format, disk.Format == DiskFormat.Qcow2 ? "qcow2" : "raw");
    }

    [Theory]
    [InlineData("hda", DiskBus.Ide, 0)]
    [InlineData("hdd", DiskBus.Ide, 3)]
    [InlineData("xvdb", DiskBus.Ide, 1)]
    [InlineData("xvde", DiskBus.Virtio, 4)]
    [InlineData("vdc", DiskBus.Virtio, 2)]
    [InlineData("sdb", DiskBus.Scsi, 1)]
    public void TheVdevGivesBusAndPosition(string vdev, DiskBus bus, int index)
    {
        var disk = Parse($"/x.img,,{vdev}");
        Assert.Equal(bus, disk.Bus);
        Assert.Equal(index, disk.Index);
    }

    [Theory]
    [InlineData("file:/x.img,hda,w!", "access 'w!' (shared writing) is not supported")]
    [InlineData("/x.img,,hda,rwx", "unknown access 'rwx'")]
    [InlineData("/x.img,vhd,hda", "format 'vhd' is not supported: Domus reads raw and qcow2 images")]
    [InlineData("/x.img,format=foo,vdev=hda", "unknown format 'foo'")]
    [InlineData("/x.img,,hde", "IDE has four positions")]
    [InlineData("/x.img,,hda1", "names a partition")]
    [InlineData("/x.img,,cdrom0", "unknown vdev 'cdrom0'")]
    [InlineData("/x.img", "no vdev")]
    [InlineData(",hda,w", "no target")]
    [InlineData("/x.iso,,hdc:cdrom,w", "a CD-ROM drive is read-only")]
    [InlineData("/x.iso,,vda,cdrom", "cannot be a CD-ROM")]
    [InlineData("/x.img,,hda:floppy", "unknown device type 'floppy'")]
    [InlineData("/x.img,,hda,w,extra", "too many positional values")]
    [InlineData("/x.img,vdev=hda,vdev=hdb", "vdev is given twice")]
    [InlineData("/x.img,,hda,bogus=1", "unknown parameter 'bogus'")]
    [InlineData("iscsi:/x,hda,w", "'iscsi:' disks need a block script")]
    [InlineData("foo:/x.img,hda,w", "unknown disk prefix 'foo:'")]
    [InlineData("/x.img,,hda,script=block-foo", "block scripts are not supported")]
    [InlineData("/x.img,,hda,backend=driverdom", "driver domains do not exist here")]
    public void BadSpecsSayWhatIsWrong(string spec, string problem)
    {
        Assert.Contains(Problems(spec), p => p.Contains(problem, StringComparison.Ordinal));
    }

    [Fact]
    public void EveryProblemOfASpecIsReported()
    {
        Assert.Equal(2, Problems("/x.img,vhd,hde").Count);
    }
}
