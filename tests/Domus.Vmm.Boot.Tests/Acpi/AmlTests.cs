using Domus.Vmm.Boot.Acpi;

namespace Domus.Vmm.Boot.Tests.Acpi;

public sealed class AmlTests
{
    [Fact]
    public void EisaIdsAreCompressedAsTheSpecificationHasIt()
    {
        Assert.Equal([0x0C, 0x41, 0xD0, 0x0A, 0x03], Aml.EisaId("PNP0A03"));
        Assert.Throws<ArgumentException>(() => Aml.EisaId("PNP0A0"));
    }

    [Fact]
    public void IntegersTakeTheirShortestForm()
    {
        Assert.Equal([0x00], Aml.Integer(0));
        Assert.Equal([0x01], Aml.Integer(1));
        Assert.Equal([0x0A, 0x05], Aml.Integer(5));
        Assert.Equal([0x0B, 0x34, 0x12], Aml.Integer(0x1234));
        Assert.Equal([0x0C, 0x78, 0x56, 0x34, 0x12], Aml.Integer(0x12345678));
        Assert.Equal(9, Aml.Integer(0x1_0000_0000).Length);
    }

    [Fact]
    public void PackageLengthsGrowPastSixtyThreeBytes()
    {
        var small = Aml.Package(Aml.Integer(0), Aml.Integer(1));
        Assert.Equal([0x12, 0x04, 0x02, 0x00, 0x01], small);
        var large = Aml.Package(Enumerable.Range(0, 40).Select(_ => Aml.Integer(7)).ToArray());
        var total = 1 + 40 * 2 + 2;
        Assert.Equal(0x12, large[0]);
        Assert.Equal(0x40 | (total & 0x0F), large[1]);
        Assert.Equal(total >> 4, large[2]);
        Assert.Equal(total + 1, large.Length);
    }

    [Fact]
    public void NamesArePaddedAndPathsPrefixed()
    {
        Assert.Equal("\b\\_S5_\0"u8.ToArray(), Aml.Name("\\_S5", Aml.Integer(0)));
        Assert.Equal((byte)0x2E, Aml.Name("\\_SB.PCI0", Aml.Integer(0))[2]);
        Assert.Throws<ArgumentException>(() => Aml.Name("TOOLONG", Aml.Integer(0)));
    }
}
