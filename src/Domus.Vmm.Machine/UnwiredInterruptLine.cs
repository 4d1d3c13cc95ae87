using Domus.Vmm.Devices.Bus;

namespace Domus.Vmm.Machine;

/// <summary>An interrupt line connected to nothing, as on a machine without interrupt controllers.</summary>
public sealed class UnwiredInterruptLine : IInterruptLine
{
    public static UnwiredInterruptLine Instance { get; } = new();

    private UnwiredInterruptLine()
    {
    }

    public void SetLevel(bool asserted)
    {
    }
}
