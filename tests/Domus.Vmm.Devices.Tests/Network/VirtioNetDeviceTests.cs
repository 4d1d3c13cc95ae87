using Domus.Tests.Networking;
using Domus.Vmm.Devices.Network;
using Domus.Vmm.Memory;

namespace Domus.Vmm.Devices.Tests.Network;

public sealed class VirtioNetDeviceTests : IDisposable
{
    private static readonly byte[] Mac = [0x00, 0x16, 0x3E, 0x76, 0x69, 0x6F];
    private readonly GuestMemory _memory = new();
    private readonly FakeInterruptLine _interrupt = new();
    private readonly RecordingNetwork _network = new();
    private readonly VirtioNetDevice _device;
    private readonly VirtioNetGuestDriver _driver;

    public VirtioNetDeviceTests()
    {
        _memory.Add(0, 1 << 20);
        _device = new VirtioNetDevice(Mac, _memory, _interrupt, _network);
        _driver = new VirtioNetGuestDriver(_device, _memory);
    }

    public void Dispose() => _memory.Dispose();

    [Fact]
    public void TheDeviceOffersItsMacAndLinkStatusAndTakesOnlyWhatItOffered()
    {
        var offered = _driver.Initialize();
        Assert.Equal((1u << 5) | (1u << 16), offered);
        Assert.Equal(1u << 5, _driver.Read(0x04, 4));
        Assert.Equal(Mac, _driver.Mac());
        Assert.Equal(1u, _driver.Read(0x1A, 2));
        Assert.Equal(7u, _driver.Read(0x12, 1));
        _driver.Write(0x0E, 5, 2);
        Assert.Equal(0u, _driver.Read(0x0C, 2));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void APacketInTheTransmitQueueIsSentWithoutItsHeader(bool splitHeader)
    {
        _driver.Initialize();
        var frame = PcnetControllerTests.Frame([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF], Mac, 200, 0x42);

        _driver.Send(frame, splitHeader);

        Assert.Equal(frame, Assert.Single(_network.Sent));
        Assert.Equal(1, _driver.TransmitUsedIndex);
        Assert.True(_interrupt.Level);
        Assert.Equal(1u, _driver.Read(0x13, 1));
        Assert.False(_interrupt.Level);
        Assert.Equal(0u, _driver.Read(0x13, 1));
    }

    [Fact]
    public void TheTransmitDoorbellSendsAsAWriteOfQueueNotifyDoes()
    {
        _driver.Initialize();
        var doorbell = Assert.Single(_device.Doorbells);
        Assert.Equal((0x10, 2, 1u), (doorbell.Offset, doorbell.Length, doorbell.Value));
        var frame = PcnetControllerTests.Frame([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF], Mac, 120, 0x24);

        _driver.Send(frame, splitHeader: true, notify: doorbell.Ring);

        Assert.Equal(frame, Assert.Single(_network.Sent));
        Assert.True(_interrupt.Level);
    }

    [Fact]
    public void AReceivedFrameFillsTheNextBufferBehindAZeroHeader()
    {
        _driver.Initialize();
        var frame = PcnetControllerTests.Frame(Mac, [2, 0, 0, 0, 0, 1], 100, 0x17);

        _device.Receive(frame);

        var (packet, head) = _driver.TakeReceived()!.Value;
        Assert.Equal(0, head);
        Assert.Equal(new byte[10], packet[..10]);
        Assert.Equal(frame, packet[10..]);
        Assert.True(_interrupt.Level);
        Assert.Null(_driver.TakeReceived());
    }

    [Fact]
    public void TheDriverCanAskNotToBeInterrupted()
    {
        _driver.Initialize();
        _driver.SuppressInterrupts(VirtioNetGuestDriver.ReceivePageFrame, suppress: true);
        _device.Receive(PcnetControllerTests.Frame(Mac, [2, 0, 0, 0, 0, 1], 100, 1));
        Assert.False(_interrupt.Level);
        Assert.NotNull(_driver.TakeReceived());
    }

    [Fact]
    public void FramesAreDroppedBeforeTheDriverIsReadyOrWhenItHasNoBuffers()
    {
        _device.Receive(PcnetControllerTests.Frame(Mac, [2, 0, 0, 0, 0, 1], 100, 1));
        _driver.Initialize();
        Assert.Null(_driver.TakeReceived());
        for (var i = 0; i < VirtioNetGuestDriver.Buffers + 3; i++)
        {
            _device.Receive(PcnetControllerTests.Frame(Mac, [2, 0, 0, 0, 0, 1], 100, (byte)i));
        }

        var taken = 0;
        while (_driver.TakeReceived() is not null)
        {
            taken++;
        }

        Assert.Equal(VirtioNetGuestDriver.Buffers, taken);
    }

    [Fact]
    public void ADriverBreakingTheProtocolStopsTheDeviceNotTheVmmUntilItResets()
    {
        _driver.Initialize();
        ushort available = 0;
        _driver.WriteDescriptor(VirtioNetGuestDriver.TransmitPageFrame, 0, 0xFFFF_0000_0000, 64, 0, 0);
        _driver.Offer(VirtioNetGuestDriver.TransmitPageFrame, ref available, 0);
        _driver.Write(0x10, 1, 2);
        Assert.Equal(0x40u, _driver.Read(0x12, 1) & 0x40);
        Assert.Empty(_network.Sent);

        _driver.Initialize();
        _driver.WriteDescriptor(VirtioNetGuestDriver.TransmitPageFrame, 0, 0x70000, 64, 1, 0);
        available = 0;
        _driver.Offer(VirtioNetGuestDriver.TransmitPageFrame, ref available, 0);
        _driver.Write(0x10, 1, 2);
        Assert.Equal(0x40u, _driver.Read(0x12, 1) & 0x40);

        _driver.Initialize();
        available = 0;
        _driver.Offer(VirtioNetGuestDriver.TransmitPageFrame, ref available, 300);
        _driver.Write(0x10, 1, 2);
        Assert.Equal(0x40u, _driver.Read(0x12, 1) & 0x40);

        _driver.Initialize();
        _driver.Send(PcnetControllerTests.Frame(Mac, Mac, 50, 1));
        Assert.Single(_network.Sent);
    }
}
