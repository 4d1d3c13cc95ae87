using Domus.Vmm.Devices.Bus;
using Domus.Vmm.Devices.Pci;
using Domus.Vmm.Devices.Platform;
using Domus.Vmm.Devices.Storage;
using Domus.Vmm.Memory;

namespace Domus.Vmm.Devices.Tests.Pci;

/// <summary>Configuration mechanism #1 as firmware uses it: 32-bit addresses to 0xCF8, data at 0xCFC-0xCFF.</summary>
public sealed class PciHostBridgeTests
{
    private int _resets;

    private PciHostBridge Bridge()
    {
        var bridge = new PciHostBridge(new ResetControl(() => _resets++, isPortA: false));
        bridge.Attach(0, 0, new I440fxHostFunction());
        bridge.Attach(1, 0, new Piix3IsaFunction());
        var busMaster = new IdeBusMaster(new GuestMemory(), new IdeChannel(new FakeInterruptLine(), null, null), new IdeChannel(new FakeInterruptLine(), null, null));
        bridge.Attach(1, 1, new PiixIdeFunction(busMaster, new AddressBus<IPortIoDevice>()));
        return bridge;
    }

    private static uint Address(int device, int function, int register) => 0x8000_0000u | (uint)(device << 11) | (uint)(function << 8) | (uint)register;

    private static uint ReadDword(PciHostBridge bridge, uint address)
    {
        bridge.Write(0, BitConverter.GetBytes(address));
        var data = new byte[4];
        bridge.Read(4, data);
        return BitConverter.ToUInt32(data);
    }

    [Fact]
    public void IdentifiesTheI440fxAndThePiix3AndNothingElse()
    {
        var bridge = Bridge();
        Assert.Equal(0x1237_8086u, ReadDword(bridge, Address(0, 0, 0)));
        Assert.Equal(0x7000_8086u, ReadDword(bridge, Address(1, 0, 0)));
        Assert.Equal(0x7010_8086u, ReadDword(bridge, Address(1, 1, 0)));
        Assert.Equal(0x0101_8000u, ReadDword(bridge, Address(1, 1, 8))); // IDE in legacy mode, bus-master capable
        Assert.Equal(0x8000_8000u, ReadDword(bridge, Address(1, 1, 0x40)));
        Assert.Equal(0x0600_0002u, ReadDword(bridge, Address(0, 0, 8)));
        Assert.Equal(0x80u, (ReadDword(bridge, Address(1, 0, 0x0C)) >> 16) & 0xFF);
        Assert.Equal(0xFFFF_FFFFu, ReadDword(bridge, Address(2, 0, 0)));
        Assert.Equal(0xFFFF_FFFFu, ReadDword(bridge, Address(0, 0, 0) & 0x7FFF_FFFF));
    }

    [Fact]
    public void OnlyWritableBitsChangeAndByteAccessesReachTheirRegister()
    {
        var bridge = Bridge();
        bridge.Write(0, BitConverter.GetBytes(Address(0, 0, 0x58)));
        bridge.Write(4 + 1, [0x30]);
        Assert.Equal(0x30u, (ReadDword(bridge, Address(0, 0, 0x58)) >> 8) & 0xFF);
        bridge.Write(0, BitConverter.GetBytes(Address(0, 0, 0)));
        bridge.Write(4, [0xFF, 0xFF, 0xFF, 0xFF]);
        Assert.Equal(0x1237_8086u, ReadDword(bridge, Address(0, 0, 0)));
    }

    [Fact]
    public void AByteAt0xCF9IsTheResetRegister()
    {
        var bridge = Bridge();
        bridge.Write(1, [0x06]);
        Assert.Equal(1, _resets);
        bridge.Write(0, BitConverter.GetBytes(Address(0, 0, 0)));
        Assert.Equal(0x1237_8086u, ReadDword(bridge, Address(0, 0, 0)));
    }
}
