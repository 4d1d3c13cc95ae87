using System.Buffers.Binary;
using Domus.Vmm.Devices.Bus;
using Domus.Vmm.Devices.FwCfg;
using Domus.Vmm.Devices.Pci;
using Domus.Vmm.Devices.Platform;
using Domus.Vmm.Devices.Serial;

namespace Domus.Vmm.Machine;

/// <summary>
/// Wires the devices of a PC into a <see cref="VirtualMachine"/> as <see cref="PlatformLayout"/> places them:
/// COM1 and COM2, QEMU's debug console, the reset ports, the CMOS clock with the memory size bytes, fw_cfg with
/// the RAM size, CPU count and e820 map, the i440FX host bridge and PIIX3, and the firmware mapped below 4 GiB
/// and into the BIOS area.
/// </summary>
public static class PcPlatform
{
    private const ulong BiosAreaEnd = 0x10_0000, BiosAreaSize = 0x2_0000, OneMiB = 0x10_0000, SixteenMiB = 0x100_0000;

    public static void Build(VirtualMachine machine, FirmwareSetup setup, ISerialBackend com1, ISerialBackend com2, ISerialBackend debug, TimeProvider clock)
    {
        var ports = machine.Ports;
        ports.Register(new BusRange(PlatformLayout.Com1Port, PlatformLayout.UartPorts), new Uart16550(machine.InterruptLine(PlatformLayout.Com1Irq), com1));
        ports.Register(new BusRange(PlatformLayout.Com2Port, PlatformLayout.UartPorts), new Uart16550(machine.InterruptLine(PlatformLayout.Com2Irq), com2));
        ports.Register(new BusRange(PlatformLayout.DebugConsolePort, 1), new DebugConsole(debug));
        void Reset() => machine.Stop(new MachineStopReason(MachineStopKind.Reset, "the guest reset the machine"));
        ports.Register(new BusRange(PlatformLayout.SystemControlPortA, 1), new ResetControl(Reset, isPortA: true));
        ports.Register(new BusRange(PlatformLayout.CmosPort, 2), Cmos(machine.Options, setup.ClockOffset, clock));
        ports.Register(new BusRange(PlatformLayout.FwCfgPort, 2), FwCfg(machine.Options, setup));
        var pci = new PciHostBridge(new ResetControl(Reset, isPortA: false));
        pci.Attach(0, 0, new I440fxHostFunction());
        pci.Attach(1, 0, new Piix3IsaFunction());
        ports.Register(new BusRange(PlatformLayout.PciConfigPort, 8), pci);
        machine.AddRom(PlatformLayout.HighMemoryStart, setup.Firmware);
        var tail = (int)Math.Min((ulong)setup.Firmware.Length, BiosAreaSize);
        machine.Memory.Load(BiosAreaEnd - (ulong)tail, setup.Firmware.AsSpan(setup.Firmware.Length - tail));
    }

    private static CmosRtc Cmos(MachineOptions options, TimeSpan offset, TimeProvider clock)
    {
        var cmos = new CmosRtc(clock, offset);
        var low = Math.Min(options.MemoryBytes, PlatformLayout.LowMemoryEnd);
        var high = options.MemoryBytes - low;
        void Word(byte index, ulong value)
        {
            cmos.SetByte(index, (byte)value);
            cmos.SetByte((byte)(index + 1), (byte)(value >> 8));
        }

        Word(0x15, 640);
        var extendedKiB = Math.Min((low - OneMiB) / 1024, 0xFFFF);
        Word(0x17, extendedKiB);
        Word(0x30, extendedKiB);
        Word(0x34, low > SixteenMiB ? Math.Min((low - SixteenMiB) >> 16, 0xFFFF) : 0);
        var high64k = high >> 16;
        cmos.SetByte(0x5B, (byte)high64k);
        cmos.SetByte(0x5C, (byte)(high64k >> 8));
        cmos.SetByte(0x5D, (byte)(high64k >> 16));
        cmos.SetByte(0x5F, (byte)(options.Vcpus - 1));
        return cmos;
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
