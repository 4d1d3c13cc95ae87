namespace Domus.Vmm.Devices.Pci;

/// <summary>What a PCI function's configuration header says it is: the ids drivers bind to, its class and revision.</summary>
public readonly record struct PciIdentity(ushort Vendor, ushort Device, uint ClassCode, byte Revision, ushort SubsystemVendor = 0, ushort Subsystem = 0)
{
    /// <summary>The name SeaBIOS looks for in fw_cfg to find this function's option ROM, e.g. <c>pci1022,2000.rom</c>.</summary>
    public string OptionRomFile => $"pci{Vendor:x4},{Device:x4}.rom";
}
