using Domus.Vmm.Devices.Display;
using Domus.Vmm.Devices.Serial;
using Domus.Vmm.Devices.Storage;

namespace Domus.Vmm.Machine;

/// <summary>What a PC's devices connect to: the serial ports' and debug console's outputs, the clock, the IDE drives, the VGA, the network cards' wires.</summary>
public sealed record PcPeripherals(ISerialBackend Com1, ISerialBackend Com2, ISerialBackend DebugConsole, TimeProvider Clock)
{
    /// <summary>The real-time clock's distance from UTC (localtime and rtc_timeoffset).</summary>
    public TimeSpan ClockOffset { get; init; }

    /// <summary>The four IDE positions, hda to hdd (primary master, primary slave, secondary master, secondary slave).</summary>
    public IReadOnlyList<AtaDevice?> IdeDrives { get; init; } = [null, null, null, null];

    /// <summary>The standard VGA, in PCI slot 2, when the machine has a screen; its owner disposes of it after the machine.</summary>
    public StdVga? Vga { get; init; }

    /// <summary>The network cards, in PCI slots from <see cref="PlatformLayout.FirstNetworkCardSlot"/> on.</summary>
    public IReadOnlyList<PcNetworkCard> NetworkCards { get; init; } = [];
}
