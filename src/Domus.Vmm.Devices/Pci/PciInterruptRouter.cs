using Domus.Vmm.Devices.Bus;

namespace Domus.Vmm.Devices.Pci;

/// <summary>
/// The wiring from PCI interrupt pins to ISA IRQs on an i440FX/PIIX3 board: pin INTx of the device in slot s
/// drives PIRQ (s - 1 + x) mod 4 (the swizzle SeaBIOS and QEMU assume), and the PIIX3 routes each PIRQ to the ISA
/// IRQ its register names. PCI lines are shared: an IRQ is asserted while any pin routed to it is, and a change of
/// routing moves asserted pins to their new IRQ at once.
/// </summary>
public sealed class PciInterruptRouter
{
    private const int IsaIrqs = 16;
    private readonly Piix3IsaFunction _isa;
    private readonly IInterruptLine?[] _irqLines = new IInterruptLine?[IsaIrqs];
    private readonly Func<uint, IInterruptLine> _irqLine;
    private readonly int[] _assertedPins = new int[Piix3IsaFunction.PirqCount];
    private readonly bool[] _driven = new bool[IsaIrqs];
    private readonly Lock _lock = new();

    /// <param name="irqLine">The line of an ISA IRQ; asked once per IRQ.</param>
    public PciInterruptRouter(Piix3IsaFunction isa, Func<uint, IInterruptLine> irqLine)
    {
        _isa = isa;
        _irqLine = irqLine;
        isa.RoutingChanged += Update;
    }

    /// <summary>The PIRQ (0 for A) that pin <paramref name="pin"/> (0 for INTA#) of the device in <paramref name="slot"/> drives.</summary>
    public static int Pirq(int slot, int pin) => (slot - 1 + pin) & 3;

    /// <summary>The line a device in <paramref name="slot"/> asserts through its pin <paramref name="pin"/> (0 for INTA#).</summary>
    public IInterruptLine Pin(int slot, int pin) => new PinLine(this, Pirq(slot, pin));

    private void SetPin(int pirq, bool asserted)
    {
        lock (_lock)
        {
            _assertedPins[pirq] += asserted ? 1 : -1;
            Update();
        }
    }

    private void Update()
    {
        lock (_lock)
        {
            Span<bool> wanted = stackalloc bool[IsaIrqs];
            for (var pirq = 0; pirq < _assertedPins.Length; pirq++)
            {
                if (_assertedPins[pirq] > 0 && _isa.RoutedIrq(pirq) is { } irq)
                {
                    wanted[irq] = true;
                }
            }

            for (var irq = 0; irq < IsaIrqs; irq++)
            {
                if (wanted[irq] != _driven[irq])
                {
                    _driven[irq] = wanted[irq];
                    (_irqLines[irq] ??= _irqLine((uint)irq)).SetLevel(wanted[irq]);
                }
            }
        }
    }

    /// <summary>One device pin: it counts towards its PIRQ only on changes of its own level.</summary>
    private sealed class PinLine(PciInterruptRouter router, int pirq) : IInterruptLine
    {
        private bool _level;

        public void SetLevel(bool asserted)
        {
            lock (router._lock)
            {
                if (asserted != _level)
                {
                    _level = asserted;
                    router.SetPin(pirq, asserted);
                }
            }
        }
    }
}
