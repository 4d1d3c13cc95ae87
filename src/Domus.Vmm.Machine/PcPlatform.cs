using System.Buffers.Binary;
using Domus.Vmm.Devices.Bus;
using Domus.Vmm.Devices.FwCfg;
using Domus.Vmm.Devices.Pci;
using Domus.Vmm.Devices.Platform;
using Domus.Vmm.Devices.Serial;
using Domus.Vmm.Devices.Storage;

namespace Domus.Vmm.Machine;

/// <summary>
/// Wires the devices of a PC into a <see cref="VirtualMachine"/> as <see cref="PlatformLayout"/> places them:
/// COM1 and COM2, QEMU's debug console, the reset ports, the CMOS clock with the memory size, disk translation
/// and boot order bytes, fw_cfg with the RAM size, CPU count and e820 map, the i440FX host bridge, PIIX3 and its
/// IDE controller, and the firmware mapped below 4 GiB and into the BIOS area.
/// </summary>
public static class PcPlatform
{
    private const ulong BiosAreaEnd = 0x10_0000, BiosAreaSize = 0x2_0000;

    public static void Build(VirtualMachine machine, FirmwareSetup setup, PcPeripherals peripherals)
    {
        var ports = machine.Ports;
        ports.Register(new BusRange(PlatformLayout.Com1Port, PlatformLayout.UartPorts), new Uart16550(machine.InterruptLine(PlatformLayout.Com1Irq), peripherals.Com1));
        ports.Register(new BusRange(PlatformLayout.Com2Port, PlatformLayout.UartPorts), new Uart16550(machine.InterruptLine(PlatformLayout.Com2Irq), peripherals.Com2));
        ports.Register(new BusRange(PlatformLayout.DebugConsolePort, 1), new DebugConsole(peripherals.DebugConsole));
        void Reset() => machine.Stop(new MachineStopReason(MachineStopKind.Reset, "the guest reset the machine"));
        ports.Register(new BusRange(PlatformLayout.SystemControlPortA, 1), new ResetControl(Reset, isPortA: true));
        ports.Register(new BusRange(PlatformLayout.CmosPort, 2), PcCmos.Create(machine.Options, setup, peripherals));
        ports.Register(new BusRange(PlatformLayout.FwCfgPort, 2), FwCfg(machine.Options, setup));
        var pci = new PciHostBridge(new ResetControl(Reset, isPortA: false));
        pci.Attach(0, 0, new I440fxHostFunction());
        pci.Attach(1, 0, new Piix3IsaFunction());
        pci.Attach(1, 1, new PiixIdeFunction());
        ports.Register(new BusRange(PlatformLayout.PciConfigPort, 8), pci);
        var drives = peripherals.IdeDrives;
        AddIdeChannel(machine, PlatformLayout.PrimaryIdePort, PlatformLayout.PrimaryIdeControlPort, PlatformLayout.PrimaryIdeIrq, drives[0], drives[1]);
        AddIdeChannel(machine, PlatformLayout.SecondaryIdePort, PlatformLayout.SecondaryIdeControlPort, PlatformLayout.SecondaryIdeIrq, drives[2], drives[3]);
        machine.AddRom(PlatformLayout.HighMemoryStart, setup.Firmware);
        var tail = (int)Math.Min((ulong)setup.Firmware.Length, BiosAreaSize);
        machine.Memory.Load(BiosAreaEnd - (ulong)tail, setup.Firmware.AsSpan(setup.Firmware.Length - tail));
    }

    private static void AddIdeChannel(VirtualMachine machine, ushort port, ushort controlPort, uint irq, AtaDevice? master, AtaDevice? slave)
    {
        var channel = new IdeChannel(machine.InterruptLine(irq), master, slave);
        machine.Ports.Register(new BusRange(port, PlatformLayout.IdePorts), channel);
        machine.Ports.Register(new BusRange(controlPort, 1), channel.ControlBlock);
    }

    private static FwCfgDevice FwCfg(MachineOptions options, FirmwareSetup setup)
    {
        var fwCfg = new FwCfgDevice();
        fwCfg.AddItem(FwCfgDevice.RamSize, options.MemoryBytes);
        fwCfg.AddItem(FwCfgDevice.CpuCount, [(byte)options.Vcpus, (byte)(options.Vcpus >> 8)]);
        fwCfg.AddItem(FwCfgDevice.MaxCpus, [(byte)options.Vcpus, (byte)(options.Vcpus >> 8)]);
        fwCfg.AddFile("etc/e820", E820(options.MemoryBytes));
        if (setup.SerialConsolePort is { } port)
        {
            fwCfg.AddFile("etc/sercon-port", [(byte)port, (byte)(port >> 8)]);
        }

        return fwCfg;
    }

    /// <summary>QEMU's etc/e820: entries of address, length (64 bits each) and type (32 bits), little-endian; 1 is RAM.</summary>
    private static byte[] E820(ulong memory)
    {
        var low = Math.Min(memory, PlatformLayout.LowMemoryEnd);
        var entries = new List<(ulong Address, ulong Length)> { (0, low) };
        if (memory > low)
        {
            entries.Add((PlatformLayout.HighMemoryStart, memory - low));
        }

        var table = new byte[entries.Count * 20];
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = table.AsSpan(i * 20, 20);
            BinaryPrimitives.WriteUInt64LittleEndian(entry, entries[i].Address);
            BinaryPrimitives.WriteUInt64LittleEndian(entry[8..], entries[i].Length);
            BinaryPrimitives.WriteUInt32LittleEndian(entry[16..], 1);
        }

        return table;
    }
}
