using Domus.Tests.Networking;
using Domus.Vmm.Devices.Bus;
using Domus.Vmm.Devices.Network;
using Domus.Vmm.Devices.Pci;
using Domus.Vmm.Memory;

namespace Domus.Vmm.Devices.Tests.Pci;

/// <summary>
/// A network card as a PCI function, as firmware and Linux meet it: identified, its I/O BAR sized and placed,
/// decoding only with the command register's I/O bit, following the BAR when it moves, and never over another
/// device's ports.
/// </summary>
public sealed class PciIoFunctionTests : IDisposable
{
    private const int Bar0 = 0x10;
    private static readonly byte[] Mac = [0x00, 0x16, 0x3E, 0x0A, 0x0B, 0x0C];
    private readonly GuestMemory _memory = new();
    private readonly AddressBus<IPortIoDevice> _ports = new();

    public PciIoFunctionTests() => _memory.Add(0, 1 << 20);

    public void Dispose() => _memory.Dispose();

    private static uint Dword(IPciFunction function, int offset)
    {
        var data = new byte[4];
        function.ReadConfig(offset, data);
        return BitConverter.ToUInt32(data);
    }

    private static void WriteDword(IPciFunction function, int offset, uint value) => function.WriteConfig(offset, BitConverter.GetBytes(value));

    private PciIoFunction Pcnet(out PcnetController card)
    {
        card = new PcnetController(Mac, _memory, new FakeInterruptLine(), new RecordingNetwork());
        return new PciIoFunction(PcnetController.PciIdentity, card, PcnetController.IoLength, _ports);
    }

    private IPortIoDevice? At(ulong port) => _ports.TryResolve(port, 1, out var device, out _) ? device : null;

    [Fact]
    public void IdentifiesTheCardsAsTheirDriversExpect()
    {
        var pcnet = Pcnet(out _);
        Assert.Equal(0x2000_1022u, Dword(pcnet, 0));
        Assert.Equal(0x0200_0010u, Dword(pcnet, 8));
        Assert.Equal(1u, Dword(pcnet, Bar0));
        Assert.Equal(0x0100u, Dword(pcnet, 0x3C) & 0xFFFF);

        var virtio = new PciIoFunction(VirtioNetDevice.PciIdentity, new VirtioNetDevice(Mac, _memory, new FakeInterruptLine(), new RecordingNetwork()), VirtioNetDevice.IoLength, _ports);
        Assert.Equal(0x1000_1af4u, Dword(virtio, 0));
        Assert.Equal(0x0001_1af4u, Dword(virtio, 0x2C));
        Assert.Equal("pci1af4,1000.rom", VirtioNetDevice.PciIdentity.OptionRomFile);
    }

    [Fact]
    public void TheBarIsSizedPlacedAndDecodedOnlyWithIoSpaceOn()
    {
        var function = Pcnet(out var card);
        WriteDword(function, Bar0, 0xFFFF_FFFF);
        Assert.Equal(0xFFFF_FFE1u, Dword(function, Bar0));
        WriteDword(function, Bar0, 0xC000);
        Assert.Equal(0xC001u, Dword(function, Bar0));
        Assert.Null(At(0xC000));

        function.WriteConfig(PciConfigSpace.Command, [0x05, 0x00]);
        Assert.Same(card, At(0xC000));
        Assert.Same(card, At(0xC01F));
        Assert.Null(At(0xC020));
        var prom = new byte[6];
        Assert.True(_ports.TryResolve(0xC000, 6, out var device, out var offset));
        device.Read((ushort)offset, prom);
        Assert.Equal(Mac, prom);

        WriteDword(function, Bar0, 0xC100);
        Assert.Null(At(0xC000));
        Assert.Same(card, At(0xC110));
        Assert.Equal(new BusRange(0xC100, 0x20), function.Decoded);

        function.WriteConfig(PciConfigSpace.Command, [0x04, 0x00]);
        Assert.Null(At(0xC100));
        Assert.Null(function.Decoded);
    }

    [Fact]
    public void APlacementOverAnotherDeviceOrBeyondThePortsDecodesNothing()
    {
        var serial = new FakePortDevice();
        _ports.Register(new BusRange(0x3F8, 8), serial);
        var function = Pcnet(out var card);
        function.WriteConfig(PciConfigSpace.Command, [0x01, 0x00]);
        WriteDword(function, Bar0, 0x3E0);
        Assert.Null(function.Decoded);
        Assert.Same(serial, At(0x3F8));
        Assert.Null(At(0x3E0));

        WriteDword(function, Bar0, 0xFFFF_FFE0);
        Assert.Null(function.Decoded);

        WriteDword(function, Bar0, 0x1000);
        Assert.Same(card, At(0x1000));
    }

    private sealed class FakePortDevice : IPortIoDevice
    {
        public void Read(ushort offset, Span<byte> data) => data.Clear();

        public void Write(ushort offset, ReadOnlySpan<byte> data)
        {
        }
    }
}
