using Domus.Vmm.Devices.Bus;
using Domus.Vmm.Kvm;

namespace Domus.Vmm.Machine;

/// <summary>A device's interrupt line wired to a GSI of KVM's in-kernel PIC and IOAPIC.</summary>
public sealed class KvmInterruptLine(KvmVm vm, uint gsi) : IInterruptLine
{
    private int _level = -1;

    public void SetLevel(bool asserted)
    {
        var level = asserted ? 1 : 0;
        if (Interlocked.Exchange(ref _level, level) != level)
        {
            vm.SetIrqLine(gsi, asserted);
        }
    }
}
