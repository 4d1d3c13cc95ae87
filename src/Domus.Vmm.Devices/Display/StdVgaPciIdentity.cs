using Domus.Vmm.Devices.Pci;

namespace Domus.Vmm.Devices.Display;

/// <summary>
/// What the standard VGA's PCI function says of itself, as QEMU's <c>-device VGA</c> does, so that SeaBIOS runs
/// <c>vgabios-stdvga.bin</c> for it and bochs-drm binds: BAR 0 is the linear framebuffer (prefetchable memory, the
/// size of <see cref="StdVga.VideoMemory"/>). SeaBIOS finds the VGA BIOS for it by these ids (fw_cfg's
/// <c>pci1234,1111.rom</c>) rather than in an expansion ROM BAR.
/// </summary>
public static class StdVgaPciIdentity
{
    public const ushort VendorId = 0x1234, DeviceId = 0x1111;
    public const ushort SubsystemVendorId = 0x1AF4, SubsystemId = 0x1100;
    public const byte Revision = 0x02;

    /// <summary>Display controller, VGA-compatible, VGA programming interface.</summary>
    public const uint ClassCode = 0x030000;

    public const int FramebufferBar = 0;

    public static PciIdentity Identity => new(VendorId, DeviceId, ClassCode, Revision, SubsystemVendorId, SubsystemId);
}
