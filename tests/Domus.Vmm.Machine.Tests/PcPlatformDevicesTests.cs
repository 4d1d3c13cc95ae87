using Domus.Vmm.Kvm;

namespace Domus.Vmm.Machine.Tests;

/// <summary>
/// The devices <see cref="PcPlatform"/> puts on the machine's buses, reached as the guest reaches them (through
/// the port bus), without running guest code. They need /dev/kvm to make the machine, and skip without it.
/// </summary>
public sealed class PcPlatformDevicesTests
{
    private static (VirtualMachine Machine, PcPlatform Platform) BuildPc()
    {
        if (KvmSystem.UnavailableReason() is { } reason)
        {
            Assert.Skip($"no usable KVM: {reason}");
        }

        var machine = new VirtualMachine(new MachineOptions(16 << 20));
        var peripherals = new PcPeripherals(new TextBackend(), new TextBackend(), new TextBackend(), TimeProvider.System);
        return (machine, PcPlatform.BuildWithFirmware(machine, peripherals, new FirmwareSetup { Firmware = new byte[0x1_0000] }));
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
}
