using Domus.Config.Model;
using Domus.Vmm.Boot.Acpi;
using Domus.Vmm.Boot.Linux;
using Domus.Vmm.Boot.Memory;
using Domus.Vmm.Devices.Bus;
using Domus.Vmm.Devices.Display;
using Domus.Vmm.Devices.FwCfg;
using Domus.Vmm.Devices.Input;
using Domus.Vmm.Devices.Network;
using Domus.Vmm.Devices.Pci;
using Domus.Vmm.Devices.Platform;
using Domus.Vmm.Devices.Serial;
using Domus.Vmm.Devices.Storage;

namespace Domus.Vmm.Machine;

/// <summary>
/// A PC in a <see cref="VirtualMachine"/>, its devices where <see cref="PlatformLayout"/> places them: COM1 and
/// COM2, QEMU's debug console, the reset ports, the i8042 with a PS/2 keyboard and mouse, the CMOS clock (memory sizes, disk translation, boot order), the
/// ACPI PM block with the power button, the i440FX host bridge, PIIX3 and its IDE controller (legacy channels, and
/// bus-master DMA into guest RAM behind BAR 4), the standard VGA when there is one, the network cards on PCI, and ACPI tables.
/// It starts either through firmware (SeaBIOS, with fw_cfg describing the machine) or straight into a kernel.
/// </summary>
public sealed class PcPlatform
{
    private const ulong BiosAreaEnd = 0x10_0000, BiosAreaSize = 0x2_0000;
    private readonly AcpiPowerManagement _power;

    private PcPlatform(AcpiPowerManagement power, Uart16550 com1, I8042Controller keyboard)
    {
        _power = power;
        Com1 = com1;
        Keyboard = keyboard;
    }

    /// <summary>The first serial port, which the host's console types into.</summary>
    public Uart16550 Com1 { get; }

    /// <summary>The keyboard controller, whose PS/2 keyboard and mouse a console (VNC, QMP's send-key) types and points with.</summary>
    public I8042Controller Keyboard { get; }

    /// <summary>A PC that starts in its firmware, which finds the machine's shape and ACPI tables in fw_cfg.</summary>
    public static PcPlatform BuildWithFirmware(VirtualMachine machine, PcPeripherals peripherals, FirmwareSetup firmware)
    {
        var pc = BuildDevices(machine, peripherals, firmware.BootOrder);
        var fwCfg = new FwCfgDevice();
        fwCfg.AddItem(FwCfgDevice.RamSize, machine.Options.MemoryBytes);
        fwCfg.AddItem(FwCfgDevice.CpuCount, [(byte)machine.Options.Vcpus, (byte)(machine.Options.Vcpus >> 8)]);
        fwCfg.AddItem(FwCfgDevice.MaxCpus, [(byte)machine.Options.Vcpus, (byte)(machine.Options.Vcpus >> 8)]);
        fwCfg.AddFile("etc/e820", Serialize(RamMap(machine.Options.MemoryBytes)));
        if (firmware.SerialConsolePort is { } port)
        {
            fwCfg.AddFile("etc/sercon-port", [(byte)port, (byte)(port >> 8)]);
        }

        foreach (var (file, image) in firmware.OptionRoms)
        {
            fwCfg.AddFile(file, image);
        }

        AcpiTables.Build(AcpiDescription(machine.Options)).Publish(fwCfg);
        machine.Ports.Register(new BusRange(PlatformLayout.FwCfgPort, 2), fwCfg);
        machine.AddRom(PlatformLayout.HighMemoryStart, firmware.Firmware);
        var tail = (int)Math.Min((ulong)firmware.Firmware.Length, BiosAreaSize);
        machine.Memory.Load(BiosAreaEnd - (ulong)tail, firmware.Firmware.AsSpan(firmware.Firmware.Length - tail));
        return pc;
    }

    /// <summary>
    /// A PC that starts in a Linux kernel: the loader puts it, its initrd and command line in memory, the ACPI
    /// tables go to the BIOS area (where the kernel also searches for the RSDP), and vCPU 0 is set to the entry state.
    /// </summary>
    public static PcPlatform BuildWithKernel(VirtualMachine machine, PcPeripherals peripherals, KernelSetup kernel)
    {
        var pc = BuildDevices(machine, peripherals, bootOrder: "c");
        var tables = AcpiTables.Build(AcpiDescription(machine.Options));
        const ulong rsdpAddress = DirectBootLayout.BiosArea, tablesAddress = DirectBootLayout.BiosArea + 0x40;
        var (rsdp, placed) = tables.Place(rsdpAddress, tablesAddress);
        machine.Memory.Write(rsdpAddress, rsdp);
        machine.Memory.Write(tablesAddress, placed);
        var memoryMap = DirectBootMap(machine.Options.MemoryBytes);
        var entry = LinuxLoader.Load(machine.Memory, new LinuxBootSetup
        {
            Kernel = kernel.Kernel,
            Initrd = kernel.Initrd,
            CommandLine = kernel.CommandLine,
            MemoryMap = memoryMap,
            RsdpAddress = rsdpAddress,
        });
        BootCpu.Enter(machine.Vcpus[0], entry);
        if (machine.Options.Irqchip)
        {
            foreach (var vcpu in machine.Vcpus)
            {
                BootCpu.WireLocalInterruptPins(vcpu);
            }
        }

        return pc;
    }

    /// <summary>Presses the ACPI power button: a guest with an ACPI driver shuts down.</summary>
    public void PressPowerButton() => _power.PressPowerButton();

    private static PcPlatform BuildDevices(VirtualMachine machine, PcPeripherals peripherals, string bootOrder)
    {
        var ports = machine.Ports;
        var com1 = new Uart16550(machine.InterruptLine(PlatformLayout.Com1Irq), peripherals.Com1);
        ports.Register(new BusRange(PlatformLayout.Com1Port, PlatformLayout.UartPorts), com1);
        ports.Register(new BusRange(PlatformLayout.Com2Port, PlatformLayout.UartPorts), new Uart16550(machine.InterruptLine(PlatformLayout.Com2Irq), peripherals.Com2));
        ports.Register(new BusRange(PlatformLayout.DebugConsolePort, 1), new DebugConsole(peripherals.DebugConsole));
        void Reset() => machine.Stop(new MachineStopReason(MachineStopKind.Reset, "the guest reset the machine"));
        void PowerOff() => machine.Stop(new MachineStopReason(MachineStopKind.PoweredOff, "the guest powered off"));
        ports.Register(new BusRange(PlatformLayout.SystemControlPortA, 1), new ResetControl(Reset, isPortA: true));
        var keyboard = new I8042Controller(machine.InterruptLine(PlatformLayout.KeyboardIrq), machine.InterruptLine(PlatformLayout.MouseIrq), Reset);
        ports.Register(new BusRange(PlatformLayout.KeyboardControllerPort, I8042Controller.PortCount), keyboard);
        ports.Register(new BusRange(PlatformLayout.CmosPort, 2), machine.Own(PcCmos.Create(machine.Options, bootOrder, peripherals, machine.InterruptLine(PlatformLayout.RtcIrq))));
        var power = new AcpiPowerManagement(machine.InterruptLine(PlatformLayout.AcpiSciIrq), peripherals.Clock, PlatformLayout.SoftOffSleepType, PowerOff);
        ports.Register(new BusRange(PlatformLayout.AcpiPmPort, AcpiPowerManagement.Length), power);
        var pci = new PciHostBridge(new ResetControl(Reset, isPortA: false));
        var isa = new Piix3IsaFunction(PlatformLayout.PciIrqs);
        pci.Attach(PlatformLayout.HostBridgeSlot, 0, new I440fxHostFunction());
        pci.Attach(PlatformLayout.Piix3Slot, 0, isa);
        var drives = peripherals.IdeDrives;
        var primaryIde = AddIdeChannel(machine, PlatformLayout.PrimaryIdePort, PlatformLayout.PrimaryIdeControlPort, PlatformLayout.PrimaryIdeIrq, drives[0], drives[1]);
        var secondaryIde = AddIdeChannel(machine, PlatformLayout.SecondaryIdePort, PlatformLayout.SecondaryIdeControlPort, PlatformLayout.SecondaryIdeIrq, drives[2], drives[3]);
        pci.Attach(PlatformLayout.Piix3Slot, 1, new PiixIdeFunction(new IdeBusMaster(machine.Memory, primaryIde, secondaryIde), ports));
        ports.Register(new BusRange(PlatformLayout.PciConfigPort, 8), pci);
        if (peripherals.Vga is { } vga)
        {
            AddVga(machine, pci, vga);
        }

        AddNetworkCards(machine, pci, new PciInterruptRouter(isa, machine.InterruptLine), peripherals.NetworkCards);
        return new PcPlatform(power, com1, keyboard);
    }

    /// <summary>
    /// The VGA's registers on the port bus, its legacy window on the MMIO bus (RAM leaves a hole there), and its PCI
    /// function in slot 2, whose framebuffer BAR maps the video memory as a KVM memory slot wherever it is placed.
    /// </summary>
    private static void AddVga(VirtualMachine machine, PciHostBridge pci, StdVga vga)
    {
        if (!machine.Options.LegacyVgaWindow)
        {
            throw new ArgumentException("a machine with a VGA leaves the legacy window to it (MachineOptions.LegacyVgaWindow)", nameof(vga));
        }

        machine.Ports.Register(new BusRange(PlatformLayout.VgaPort, VgaRegisters.PortCount), vga.Ports);
        machine.Ports.Register(new BusRange(PlatformLayout.BochsDispiPort, BochsDispi.PortCount), vga.Dispi);
        machine.Mmio.Register(new BusRange(PlatformLayout.VgaWindow, PlatformLayout.VgaWindowSize), vga.LegacyWindow);
        var framebuffer = machine.AddMovableSlot(vga.VideoMemory.HostAddress, (ulong)vga.VideoMemory.Size);
        pci.Attach(PlatformLayout.VgaSlot, 0, new StdVgaPciFunction(vga, framebuffer.Place));
    }

    /// <summary>Each card a PCI function with its registers behind an I/O BAR, interrupting on INTA#, its wire delivering to it.</summary>
    private static void AddNetworkCards(VirtualMachine machine, PciHostBridge pci, PciInterruptRouter interrupts, IReadOnlyList<PcNetworkCard> cards)
    {
        if (cards.Count > PlatformLayout.MaxNetworkCards)
        {
            throw new ArgumentException($"this PC takes {PlatformLayout.MaxNetworkCards} network cards at most", nameof(cards));
        }

        for (var i = 0; i < cards.Count; i++)
        {
            var slot = PlatformLayout.FirstNetworkCardSlot + i;
            var card = cards[i];
            var mac = Enumerable.Range(0, 6).Select(b => card.Mac[b]).ToArray();
            var line = interrupts.Pin(slot, 0);
            var (device, identity, length) = card.Model switch
            {
                NicModel.Pcnet => ((INetworkCard)new PcnetController(mac, machine.Memory, line, card.Wire), PcnetController.PciIdentity, PcnetController.IoLength),
                NicModel.VirtioNet => (new VirtioNetDevice(mac, machine.Memory, line, card.Wire), VirtioNetDevice.PciIdentity, VirtioNetDevice.IoLength),
                _ => throw new ArgumentException($"this PC has no {card.Model} card", nameof(cards)),
            };
            pci.Attach(slot, 0, new PciIoFunction(identity, device, length, machine.Ports));
            card.Wire.StartReceiving(machine.Guarded<ReadOnlySpan<byte>>($"network card {i}", device.Receive));
        }
    }

    private static IdeChannel AddIdeChannel(VirtualMachine machine, ushort port, ushort controlPort, uint irq, AtaDevice? master, AtaDevice? slave)
    {
        var channel = new IdeChannel(machine.InterruptLine(irq), master, slave);
        machine.Ports.Register(new BusRange(port, PlatformLayout.IdePorts), channel);
        machine.Ports.Register(new BusRange(controlPort, 1), channel.ControlBlock);
        return channel;
    }

    private static AcpiPlatform AcpiDescription(MachineOptions options) => new()
    {
        Vcpus = options.Vcpus,
        LocalApicAddress = PlatformLayout.LocalApicAddress,
        IoApicAddress = PlatformLayout.IoApicAddress,
        PmBase = PlatformLayout.AcpiPmPort,
        SciIrq = PlatformLayout.AcpiSciIrq,
        ResetPort = PlatformLayout.PciConfigPort + 1,
        ResetValue = 0x06,
        CmosCentury = CmosRtc.Century,
        SoftOffSleepType = PlatformLayout.SoftOffSleepType,
        PciIrqs = PlatformLayout.PciIrqs.ToArray(),
    };

    /// <summary>The RAM, below the PCI hole and above 4 GiB: firmware adds its own reservations to it.</summary>
    private static List<E820Entry> RamMap(ulong memory)
    {
        var low = Math.Min(memory, PlatformLayout.LowMemoryEnd);
        var map = new List<E820Entry> { new(0, low, E820Type.Ram) };
        if (memory > low)
        {
            map.Add(new E820Entry(PlatformLayout.HighMemoryStart, memory - low, E820Type.Ram));
        }

        return map;
    }

    /// <summary>What firmware would report: conventional memory, the EBDA and BIOS area reserved, then RAM from 1 MiB.</summary>
    private static List<E820Entry> DirectBootMap(ulong memory)
    {
        var map = RamMap(memory);
        map[0] = new E820Entry(0, DirectBootLayout.ExtendedBiosDataArea, E820Type.Ram);
        map.Insert(1, new E820Entry(DirectBootLayout.ExtendedBiosDataArea, DirectBootLayout.OneMiB - DirectBootLayout.ExtendedBiosDataArea, E820Type.Reserved));
        map.Insert(2, new E820Entry(DirectBootLayout.OneMiB, Math.Min(memory, PlatformLayout.LowMemoryEnd) - DirectBootLayout.OneMiB, E820Type.Ram));
        return map;
    }

    private static byte[] Serialize(List<E820Entry> map)
    {
        var bytes = new byte[map.Count * E820Entry.Size];
        for (var i = 0; i < map.Count; i++)
        {
            map[i].WriteTo(bytes.AsSpan(i * E820Entry.Size));
        }

        return bytes;
    }
}
