using Domus.Vmm.Devices.Bus;

namespace Domus.Vmm.Devices.Tests.Bus;

public sealed class AddressBusTests
{
    private sealed class Device;

    [Fact]
    public void ResolvesAddressesToDevicesAndOffsets()
    {
        var bus = new AddressBus<Device>();
        var uart = new Device();
        var debug = new Device();
        bus.Register(new BusRange(0x3F8, 8), uart);
        bus.Register(new BusRange(0x402, 1), debug);
        Assert.True(bus.TryResolve(0x3FD, 1, out var found, out var offset));
        Assert.Same(uart, found);
        Assert.Equal(5ul, offset);
        Assert.True(bus.TryResolve(0x402, 1, out found, out offset));
        Assert.Same(debug, found);
        Assert.False(bus.TryResolve(0x3F7, 1, out _, out _));
        Assert.False(bus.TryResolve(0x400, 1, out _, out _));
    }

    [Fact]
    public void AccessesThatStraddleARangeEndResolveToNothing()
    {
        var bus = new AddressBus<Device>();
        bus.Register(new BusRange(0x3F8, 8), new Device());
        Assert.True(bus.TryResolve(0x3FC, 4, out _, out _));
        Assert.False(bus.TryResolve(0x3FE, 4, out _, out _));
    }

    [Fact]
    public void OverlapsAreRefused()
    {
        var bus = new AddressBus<Device>();
        bus.Register(new BusRange(0x3F8, 8), new Device());
        Assert.Throws<BusOverlapException>(() => bus.Register(new BusRange(0x3FF, 2), new Device()));
        Assert.Throws<ArgumentException>(() => bus.Register(new BusRange(0x500, 0), new Device()));
        bus.Register(new BusRange(0x400, 1), new Device());
    }
}
