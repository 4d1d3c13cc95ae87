namespace Domus.Vmm.Machine;

/// <summary>
/// Every port, address and interrupt of the machine in one place: a PC as SeaBIOS and operating systems
/// expect it (the ISA legacy ports, an i440FX-style memory map with the PCI hole below 4 GiB).
/// </summary>
public static class PlatformLayout
{
    public const ushort Com1Port = 0x3F8, Com2Port = 0x2F8, UartPorts = 8;
    public const uint Com1Irq = 4, Com2Irq = 3;
    public const ushort DebugConsolePort = 0x402;
    public const ushort CmosPort = 0x70;
    public const uint RtcIrq = 8;
    public const ushort FwCfgPort = 0x510;
    /// <summary>PCI configuration mechanism #1 at 0xCF8-0xCFF; its byte 0xCF9 is the reset control register.</summary>
    public const ushort PciConfigPort = 0xCF8;
    public const ushort SystemControlPortA = 0x92;

    /// <summary>The i8042 keyboard controller (data at 0x60, status and command at 0x64); the keyboard's IRQ and the PS/2 mouse's.</summary>
    public const ushort KeyboardControllerPort = 0x60;
    public const uint KeyboardIrq = 1, MouseIrq = 12;

    /// <summary>The legacy-mode IDE channels: command block, control block (one port) and IRQ of each.</summary>
    public const ushort PrimaryIdePort = 0x1F0, PrimaryIdeControlPort = 0x3F6, SecondaryIdePort = 0x170, SecondaryIdeControlPort = 0x376, IdePorts = 8;
    public const uint PrimaryIdeIrq = 14, SecondaryIdeIrq = 15;

    /// <summary>
    /// PCI slots on bus 0: the host bridge in 0, the PIIX3 (ISA bridge and IDE) in 1, the VGA in 2 (as on QEMU's
    /// i440FX), network cards from 3 in the order of the domain's vifs.
    /// </summary>
    public const int HostBridgeSlot = 0, Piix3Slot = 1, VgaSlot = 2, FirstNetworkCardSlot = 3, MaxNetworkCards = 8;

    /// <summary>The VGA's register file (0x3B0-0x3DF), the Bochs VBE index/data ports, and the legacy memory window.</summary>
    public const ushort VgaPort = 0x3B0, BochsDispiPort = 0x1CE;
    public const ulong VgaWindow = 0xA0000, VgaWindowSize = 0x20000;

    /// <summary>
    /// The ISA IRQs that PIRQA#-PIRQD# drive: the routing SeaBIOS programs into the PIIX3 on an i440FX, set from the
    /// start so that a directly booted kernel sees it too; the DSDT's _PRT names the same lines.
    /// </summary>
    public static ReadOnlySpan<byte> PciIrqs => [10, 10, 11, 11];

    /// <summary>The ACPI PM block (PM1 event, control, timer), at the address QEMU's PIIX4 uses; its SCI is IRQ 9.</summary>
    public const ushort AcpiPmPort = 0x600;
    public const byte AcpiSciIrq = 9;

    /// <summary>The SLP_TYP the DSDT gives S5, and that the PM block powers off on (0, as on QEMU's i440FX).</summary>
    public const byte SoftOffSleepType = 0;

    /// <summary>QEMU's isa-debug-exit port, used by test guests to end the VM with a status.</summary>
    public const ushort TestExitPort = 0x501;

    /// <summary>Guest RAM ends here below 4 GiB; above it lie the PCI hole, the IOAPIC, LAPIC and the BIOS.</summary>
    public const ulong LowMemoryEnd = 0xE000_0000;
    public const ulong HighMemoryStart = 0x1_0000_0000;

    /// <summary>The local APIC and IOAPIC at their architectural addresses.</summary>
    public const uint LocalApicAddress = 0xFEE0_0000, IoApicAddress = 0xFEC0_0000;

    /// <summary>Three pages Intel VT needs for real-mode guests, and the identity-map page after them.</summary>
    public const ulong TssAddress = 0xFFFB_D000, IdentityMapAddress = 0xFFFB_C000;
}
