using Domus.Vmm.Memory;

namespace Domus.Vmm.Devices.Display;

/// <summary>
/// QEMU's "standard VGA" as SeaVGABIOS (<c>vgabios-stdvga.bin</c>) and guest drivers know it: the VGA register file
/// (<see cref="Ports"/> at <see cref="VgaRegisters.PortBase"/>), the Bochs VBE interface (<see cref="Dispi"/> at
/// <see cref="BochsDispi.PortBase"/>), the legacy window (<see cref="LegacyWindow"/> at
/// <see cref="VgaMemoryWindow.WindowBase"/>) and <see cref="VideoMemory"/>, which the machine maps at the PCI
/// function's BAR 0 as the linear framebuffer (a KVM memory slot, its dirty log merged into the block's bitmap).
/// </summary>
public sealed class StdVga : IDisposable
{
    public const int DefaultVideoMemorySize = 16 << 20;

    private readonly Lock _lock = new();

    public StdVga(int videoMemorySize = DefaultVideoMemorySize)
    {
        VideoMemory = new DeviceMemory(videoMemorySize);
        Ports = new VgaRegisters(_lock);
        Dispi = new BochsDispi(_lock, VideoMemory);
        LegacyWindow = new VgaMemoryWindow(_lock, Ports, Dispi, VideoMemory);
    }

    public DeviceMemory VideoMemory { get; }

    public VgaRegisters Ports { get; }

    public BochsDispi Dispi { get; }

    public VgaMemoryWindow LegacyWindow { get; }

    /// <summary>Both register files at one instant, for the renderer.</summary>
    internal (VgaRegisters Vga, VbeMode Vbe) Snapshot()
    {
        lock (_lock)
        {
            return (Ports.Snapshot(), Dispi.Snapshot());
        }
    }

    public void Dispose() => VideoMemory.Dispose();
}
