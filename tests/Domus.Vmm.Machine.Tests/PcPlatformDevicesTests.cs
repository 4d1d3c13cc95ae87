using Domus.Vmm.Devices.Display;
using Domus.Vmm.Kvm;

namespace Domus.Vmm.Machine.Tests;

/// <summary>
/// The devices <see cref="PcPlatform"/> puts on the machine's buses, reached as the guest reaches them (through
/// the port bus), without running guest code. They need /dev/kvm to make the machine, and skip without it.
/// </summary>
public sealed class PcPlatformDevicesTests
{
    private static (VirtualMachine Machine, PcPlatform Platform) BuildPc(StdVga? vga = null)
    {
        if (KvmSystem.UnavailableReason() is { } reason)
        {
            Assert.Skip($"no usable KVM: {reason}");
        }

        var machine = new VirtualMachine(new MachineOptions(16 << 20, LegacyVgaWindow: vga is not null));
        var peripherals = new PcPeripherals(new TextBackend(), new TextBackend(), new TextBackend(), TimeProvider.System) { Vga = vga };
        return (machine, PcPlatform.BuildWithFirmware(machine, peripherals, new FirmwareSetup { Firmware = new byte[0x1_0000] }));
    }

    /// <summary>A dword of a PCI function's configuration space, written or read as the guest would through ports 0xCF8/0xCFC.</summary>
    private static uint PciConfig(VirtualMachine machine, int slot, int register, uint? write = null)
    {
        Assert.True(machine.Ports.TryResolve(PlatformLayout.PciConfigPort, 4, out var pci, out _));
        pci.Write(0, BitConverter.GetBytes(0x8000_0000u | (uint)(slot << 11) | (uint)register));
        if (write is { } value)
        {
            pci.Write(4, BitConverter.GetBytes(value));
        }

        var data = new byte[4];
        pci.Read(4, data);
        return BitConverter.ToUInt32(data);
    }

    private static byte ReadPort(VirtualMachine machine, ushort port)
    {
        Assert.True(machine.Ports.TryResolve(port, 1, out var device, out var offset), $"nothing at port {port:x}");
        var value = new byte[1];
        device.Read((ushort)offset, value);
        return value[0];
    }

    private static void WritePort(VirtualMachine machine, ushort port, byte value)
    {
        Assert.True(machine.Ports.TryResolve(port, 1, out var device, out var offset), $"nothing at port {port:x}");
        device.Write((ushort)offset, [value]);
    }

    [Fact]
    public async Task TheKeyboardControllerAnswersAtPort64AndItsResetLineResetsTheMachine()
    {
        var (machine, platform) = BuildPc();
        using (machine)
        {
            Assert.True(machine.Ports.TryResolve(PlatformLayout.KeyboardControllerPort + 4, 1, out var device, out _));
            Assert.Same(platform.Keyboard, device);
            WritePort(machine, 0x64, 0xAA);
            Assert.Equal(0x55, ReadPort(machine, 0x60));
            WritePort(machine, 0x64, 0xFE);
            var stop = await machine.RunAsync(TestContext.Current.CancellationToken);
            Assert.Equal(MachineStopKind.Reset, stop.Kind);
        }
    }

    [Fact]
    public void TheVgaHasItsPortsItsWindowAndAFramebufferBarThatMapsTheVideoMemory()
    {
        using var vga = new StdVga();
        var (machine, _) = BuildPc(vga);
        using (machine)
        {
            Assert.True(machine.Ports.TryResolve(PlatformLayout.BochsDispiPort, 2, out var dispi, out _));
            Assert.Same(vga.Dispi, dispi);
            Assert.True(machine.Ports.TryResolve(0x3C0, 1, out var registers, out _));
            Assert.Same(vga.Ports, registers);
            Assert.True(machine.Mmio.TryResolve(0xB8000, 2, out var window, out _));
            Assert.Same(vga.LegacyWindow, window);
            Assert.Equal(0x1111_1234u, PciConfig(machine, PlatformLayout.VgaSlot, 0));

            Assert.Equal(0xFF00_0008u, PciConfig(machine, PlatformLayout.VgaSlot, 0x10, write: 0xFFFF_FFFF));
            PciConfig(machine, PlatformLayout.VgaSlot, 0x10, write: 0xFD00_0000);
            PciConfig(machine, PlatformLayout.VgaSlot, 0x04, write: 0x3);
            Assert.Equal(0xFD00_0008u, PciConfig(machine, PlatformLayout.VgaSlot, 0x10));

            // Over RAM KVM refuses the slot: the BAR decodes nothing there, and the machine goes on.
            PciConfig(machine, PlatformLayout.VgaSlot, 0x10, write: 0x0080_0000);
            PciConfig(machine, PlatformLayout.VgaSlot, 0x10, write: 0xFD00_0000);
            Assert.Equal(0xFD00_0008u, PciConfig(machine, PlatformLayout.VgaSlot, 0x10));
        }
    }
}
