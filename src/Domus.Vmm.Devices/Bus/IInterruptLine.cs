namespace Domus.Vmm.Devices.Bus;

/// <summary>
/// An interrupt line with level semantics, as ISA lines are wired to the PIC and IOAPIC: a device asserts it
/// while it has an interrupt pending, and lowers it when the guest has dealt with it.
/// </summary>
public interface IInterruptLine
{
    void SetLevel(bool asserted);
}
