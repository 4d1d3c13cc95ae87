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

    [Fact]
    public void EveryPlacementIsAnnouncedAndAFailedMoveAsNone()
    {
        var bus = new AddressBus<Device>();
        var placements = new List<(Device Device, BusRange? Range)>();
        bus.Placed += (device, range) => placements.Add((device, range));
        Device first = new(), second = new();

        bus.Register(new BusRange(0x600, 0x20), first);
        bus.Move(first, new BusRange(0x700, 0x20));
        bus.Register(new BusRange(0x800, 0x20), second);
        Assert.Throws<BusOverlapException>(() => bus.Move(first, new BusRange(0x810, 0x20)));
        bus.Move(second, null);

        Assert.Equal(
            [(first, new BusRange(0x600, 0x20)), (first, new BusRange(0x700, 0x20)), (second, new BusRange(0x800, 0x20)), (first, null), (second, null)],
            placements);
        Assert.False(bus.TryResolve(0x700, 1, out _, out _));
    }
}
