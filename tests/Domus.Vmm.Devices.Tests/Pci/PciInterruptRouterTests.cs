using Domus.Vmm.Devices.Pci;

namespace Domus.Vmm.Devices.Tests.Pci;

/// <summary>
/// PCI INTx pins to ISA IRQs through the PIIX3's PIRQ registers: the i440FX swizzle, shared lines that stay
/// asserted while any pin is, and routing that the guest changes while a pin is asserted.
/// </summary>
public sealed class PciInterruptRouterTests
{
    private readonly Dictionary<uint, FakeInterruptLine> _irqs = [];
    private readonly Piix3IsaFunction _isa = new([10, 10, 11, 11]);
    private readonly PciInterruptRouter _router;

    public PciInterruptRouterTests() => _router = new PciInterruptRouter(_isa, irq => _irqs.TryAdd(irq, new FakeInterruptLine()) ? _irqs[irq] : throw new InvalidOperationException($"IRQ {irq} asked for twice"));

    private bool Level(uint irq) => _irqs.TryGetValue(irq, out var line) && line.Level;

    [Theory]
    [InlineData(1, 0, 0)]
    [InlineData(2, 0, 1)]
    [InlineData(3, 0, 2)]
    [InlineData(4, 0, 3)]
    [InlineData(5, 0, 0)]
    [InlineData(3, 1, 3)]
    [InlineData(3, 3, 1)]
    public void EachSlotsPinsRotateOverThePirqs(int slot, int pin, int pirq) => Assert.Equal(pirq, PciInterruptRouter.Pirq(slot, pin));

    [Fact]
    public void ASharedIrqStaysAssertedWhileAnyPinIs()
    {
        var first = _router.Pin(3, 0);
        var second = _router.Pin(4, 0);
        first.SetLevel(true);
        first.SetLevel(true);
        Assert.True(Level(11));
        second.SetLevel(true);
        first.SetLevel(false);
        Assert.True(Level(11));
        first.SetLevel(false);
        Assert.True(Level(11));
        second.SetLevel(false);
        Assert.False(Level(11));
        Assert.False(Level(10));
    }

    [Fact]
    public void ARoutingChangeMovesAnAssertedPinToItsNewIrq()
    {
        var pin = _router.Pin(3, 0);
        pin.SetLevel(true);
        Assert.True(Level(11));

        _isa.WriteConfig(0x62, [5]);
        Assert.False(Level(11));
        Assert.True(Level(5));

        _isa.WriteConfig(0x62, [0x80]);
        Assert.False(Level(5));
        _isa.WriteConfig(0x62, [0x02]);
        Assert.Null(_isa.RoutedIrq(2));
        Assert.False(Level(2));

        _isa.WriteConfig(0x60, [0x0B, 0x0B, 0x0B, 0x0B]);
        Assert.True(Level(11));
        pin.SetLevel(false);
        Assert.False(Level(11));
    }

    [Fact]
    public void WithoutARoutingThePirqsAreOffAsAfterReset()
    {
        var isa = new Piix3IsaFunction();
        Assert.All(Enumerable.Range(0, 4), pirq => Assert.Null(isa.RoutedIrq(pirq)));
    }
}
