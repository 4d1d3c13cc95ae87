using Domus.Vmm.Devices.Pci;

namespace Domus.Vmm.Devices.Display;

/// <summary>
/// The standard VGA's PCI function (<see cref="StdVgaPciIdentity"/>): BAR 0 is the linear framebuffer, the VGA's
/// video memory, which the machine maps into the guest where firmware or the OS places the BAR
/// (<paramref name="placeFramebuffer"/>: the address, or null to take it away; whether it could). The VGA BIOS
/// comes through fw_cfg, not a ROM BAR, and the legacy ports and window decode whatever the command register says.
/// </summary>
public sealed class StdVgaPciFunction : PciConfigSpace
{
    private readonly PciMemoryBar _framebuffer;

    public StdVgaPciFunction(StdVga vga, Func<ulong?, bool> placeFramebuffer)
        : base(StdVgaPciIdentity.Identity)
    {
        _framebuffer = AddMemoryBar(StdVgaPciIdentity.FramebufferBar, (uint)vga.VideoMemory.Size, placeFramebuffer);
    }

    /// <summary>Where the framebuffer is in guest-physical memory now, if anywhere.</summary>
    public ulong? FramebufferAddress => _framebuffer.Decoded;
}
