using Domus.Vmm.Backends.Disks;
using Domus.Vmm.Backends.Display;
using Domus.Vmm.Devices.Bus;
using Domus.Vmm.Devices.Display;
using Domus.Vmm.Devices.FwCfg;
using Domus.Vmm.Devices.Input;
using Domus.Vmm.Devices.Network;
using Domus.Vmm.Devices.Pci;
using Domus.Vmm.Devices.Platform;
using Domus.Vmm.Devices.Serial;
using Domus.Vmm.Devices.Storage;
using Domus.Vmm.Memory;
using Domus.Tests.Networking;

namespace Domus.Vmm.Devices.Tests.HostileGuest;

/// <summary>
/// A PC's devices on their buses without a CPU, at the PC's ports (as domus-dm places them), for a test that plays
/// a hostile guest: serial ports, CMOS clock, i8042, ACPI PM, fw_cfg, the PCI host with PIIX3, IDE (a disk and a
/// CD-ROM, bus-master DMA), the standard VGA, a PCnet and a virtio-net card, and a little RAM for their DMA.
/// The PCI functions' BARs start where firmware would put them, so the guest reaches the cards' registers.
/// </summary>
public sealed class HostilePc : IDisposable
{
    public const ulong RamSize = 2 << 20;
    public const ushort PciConfigPort = 0xCF8, VirtioPort = 0xC000, PcnetPort = 0xC100, BusMasterPort = 0xC200;
    public const ulong VgaWindow = 0xA0000, VgaWindowSize = 0x20000;

    private readonly string _directory = Directory.CreateTempSubdirectory("domus-hostile-").FullName;
    private readonly List<IDisposable> _owned = [];
    private readonly VgaRenderer _renderer;
    private readonly Frame _frame = new();

    public HostilePc()
    {
        Memory.Add(0, RamSize);
        var line = new FakeInterruptLine();
        Register(0x3F8, 8, new Uart16550(line, new RecordingBackend()));
        Register(0x2F8, 8, new Uart16550(line, new RecordingBackend()));
        Register(0x70, 2, Own(new CmosRtc(TimeProvider.System, TimeSpan.Zero, line)));
        Keyboard = new I8042Controller(line, line, Reset);
        Register(I8042Controller.PortBase, I8042Controller.PortCount, Keyboard);
        Register(0x600, AcpiPowerManagement.Length, new AcpiPowerManagement(line, TimeProvider.System, 5, () => PowerOffs++));
        var fwCfg = new FwCfgDevice();
        fwCfg.AddItem(FwCfgDevice.RamSize, RamSize);
        fwCfg.AddFile("etc/e820", new byte[20]);
        fwCfg.AddFile("bootorder", "/pci@i0cf8/*@1,1/drive@0/disk@0\n"u8.ToArray());
        Register(0x510, 2, fwCfg);

        var pci = new PciHostBridge(new ResetControl(Reset, isPortA: false));
        pci.Attach(0, 0, new I440fxHostFunction());
        pci.Attach(1, 0, new Piix3IsaFunction([10, 10, 11, 11]));
        var primary = new IdeChannel(line, new AtaDisk(Own(RawDiskImage.Open(Image("disk.img", 4 << 20), readOnly: false)), "DISK"), null);
        var secondary = new IdeChannel(line, null, new AtapiCdrom(Own(RawDiskImage.Open(Image("cd.iso", 1 << 20), readOnly: true)), "CD"));
        Register(0x1F0, 8, primary);
        Register(0x3F6, 1, primary.ControlBlock);
        Register(0x170, 8, secondary);
        Register(0x376, 1, secondary.ControlBlock);
        pci.Attach(1, 1, new PiixIdeFunction(new IdeBusMaster(Memory, primary, secondary), Ports));
        Vga = Own(new StdVga(1 << 20));
        _renderer = new VgaRenderer(Vga);
        Register(0x3C0, VgaRegisters.PortCount, Vga.Ports);
        Register(0x1CE, BochsDispi.PortCount, Vga.Dispi);
        Mmio.Register(new BusRange(VgaWindow, VgaWindowSize), Vga.LegacyWindow);
        pci.Attach(2, 0, new StdVgaPciFunction(Vga, _ => true));
        PcnetCard = new PcnetController([2, 0, 0, 0, 0, 1], Memory, line, PcnetWire);
        VirtioCard = new VirtioNetDevice([2, 0, 0, 0, 0, 2], Memory, line, VirtioWire);
        PcnetWire.StartReceiving(PcnetCard.Receive);
        VirtioWire.StartReceiving(VirtioCard.Receive);
        pci.Attach(3, 0, new PciIoFunction(PcnetController.PciIdentity, PcnetCard, PcnetController.IoLength, Ports));
        pci.Attach(4, 0, new PciIoFunction(VirtioNetDevice.PciIdentity, VirtioCard, VirtioNetDevice.IoLength, Ports));
        Register(PciConfigPort, 8, pci);

        PlaceBars();
    }

    public GuestMemory Memory { get; } = new();

    public AddressBus<IPortIoDevice> Ports { get; } = new();

    public AddressBus<IMmioDevice> Mmio { get; } = new();

    public I8042Controller Keyboard { get; }

    public StdVga Vga { get; }

    public PcnetController PcnetCard { get; }

    public VirtioNetDevice VirtioCard { get; }

    public RecordingNetwork PcnetWire { get; } = new();

    public RecordingNetwork VirtioWire { get; } = new();

    /// <summary>The fixed port ranges, where the guest's accesses go most often.</summary>
    public List<(ushort Port, int Length)> PortRanges { get; } = [(VirtioPort, 0x20), (PcnetPort, 0x20), (BusMasterPort, 0x10)];

    public int Resets { get; private set; }

    public int PowerOffs { get; private set; }

    /// <summary>As firmware does: the cards' and the bus master's I/O BARs placed, I/O decoding on.</summary>
    public void PlaceBars()
    {
        ConfigureIoBar(1, 1, 0x20, BusMasterPort);
        ConfigureIoBar(3, 0, 0x10, PcnetPort);
        ConfigureIoBar(4, 0, 0x10, VirtioPort);
    }

    public void PortWrite(int port, ReadOnlySpan<byte> data)
    {
        if (Ports.TryResolve((ulong)port, data.Length, out var device, out var offset))
        {
            device.Write((ushort)offset, data);
        }
    }

    public void PortRead(int port, Span<byte> data)
    {
        if (Ports.TryResolve((ulong)port, data.Length, out var device, out var offset))
        {
            device.Read((ushort)offset, data);
        }
    }

    public void MmioAccess(ulong address, Span<byte> data, bool write)
    {
        if (Mmio.TryResolve(address, data.Length, out var device, out var offset))
        {
            if (write)
            {
                device.Write(offset, data);
            }
            else
            {
                device.Read(offset, data);
            }
        }
    }

    /// <summary>What a VNC client would be sent: the screen as the VGA's registers and memory say.</summary>
    public void Render() => _renderer.Render(_frame);

    public IReadOnlyList<string>? ReadText() => _renderer.ReadText();

    public void Dispose()
    {
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }

        Memory.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private void Reset() => Resets++;

    private void Register(ushort port, int length, IPortIoDevice device)
    {
        Ports.Register(new BusRange(port, (ulong)length), device);
        PortRanges.Add((port, length));
    }

    private T Own<T>(T disposable)
        where T : IDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }

    private string Image(string name, int length)
    {
        var path = Path.Combine(_directory, name);
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private void ConfigureIoBar(int slot, int function, int register, ushort port)
    {
        var address = 0x8000_0000u | ((uint)slot << 11) | ((uint)function << 8);
        PortWrite(PciConfigPort, BitConverter.GetBytes(address | (uint)register));
        PortWrite(PciConfigPort + 4, BitConverter.GetBytes((uint)port | 1));
        PortWrite(PciConfigPort, BitConverter.GetBytes(address | 0x04));
        PortWrite(PciConfigPort + 4, BitConverter.GetBytes(0x0000_0005u));
    }
}
