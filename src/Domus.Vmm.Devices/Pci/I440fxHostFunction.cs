namespace Domus.Vmm.Devices.Pci;

/// <summary>
/// 00:00.0, the Intel 440FX host bridge (8086:1237) SeaBIOS looks for ("Running on QEMU (i440fx)"): its PAM
/// registers (0x59-0x5F, shadowing of the BIOS area) and SMRAM register keep what the firmware writes; the
/// BIOS area is RAM holding the firmware from the start, so no remapping follows.
/// </summary>
public sealed class I440fxHostFunction : PciConfigSpace
{
    public I440fxHostFunction()
        : base(0x8086, 0x1237, 0x060000, 0x02)
    {
        MakeWritable(0x59, 7);
        MakeWritable(0x72, 1);
    }
}
