using Domus.Vmm.Devices.Display;
using Domus.Vmm.Devices.Pci;

namespace Domus.Vmm.Devices.Tests.Display;

/// <summary>
/// The standard VGA as a PCI function, as SeaBIOS and Linux meet it: identified as QEMU's <c>-device VGA</c>, its
/// framebuffer BAR sized as prefetchable memory and placed (mapped by the machine) only while the command
/// register's memory bit is on, moved when the BAR moves, and decoding nothing where the machine refuses it.
/// </summary>
public sealed class StdVgaPciFunctionTests : IDisposable
{
    private const int Bar0 = 0x10, Command = 0x04;
    private readonly StdVga _vga = new(1 << 20);
    private readonly List<ulong?> _placements = [];
    private bool _refuse;

    public void Dispose() => _vga.Dispose();

    private StdVgaPciFunction Function() => new(_vga, address =>
    {
        _placements.Add(address);
        return address is null || !_refuse;
    });

    private static uint Dword(IPciFunction function, int offset)
    {
        var data = new byte[4];
        function.ReadConfig(offset, data);
        return BitConverter.ToUInt32(data);
    }

    private static void WriteDword(IPciFunction function, int offset, uint value) => function.WriteConfig(offset, BitConverter.GetBytes(value));

    [Fact]
    public void IdentifiesAsQemusStandardVga()
    {
        var function = Function();
        Assert.Equal(0x1111_1234u, Dword(function, 0));
        Assert.Equal(0x0300_0002u, Dword(function, 8));
        Assert.Equal(0x1100_1af4u, Dword(function, 0x2C));
        Assert.Equal(0x8u, Dword(function, Bar0));
    }

    [Fact]
    public void TheFramebufferBarIsSizedAsPrefetchableMemoryOfTheVideoMemorysSize()
    {
        var function = Function();
        WriteDword(function, Bar0, 0xFFFF_FFFF);
        Assert.Equal(0xFFF0_0008u, Dword(function, Bar0));
        Assert.Empty(_placements);
    }

    [Fact]
    public void TheFramebufferIsPlacedOnlyWhileMemorySpaceIsOnAndFollowsTheBar()
    {
        var function = Function();
        WriteDword(function, Bar0, 0xFD00_0000);
        Assert.Empty(_placements);
        WriteDword(function, Command, 0x2);
        Assert.Equal(0xFD00_0000ul, function.FramebufferAddress);
        WriteDword(function, Bar0, 0xFE00_0000);
        Assert.Equal(0xFE00_0000ul, function.FramebufferAddress);
        WriteDword(function, Command, 0x1);
        Assert.Null(function.FramebufferAddress);
        Assert.Equal([0xFD00_0000ul, 0xFE00_0000ul, null], _placements);
    }

    [Fact]
    public void APlacementTheMachineRefusesDecodesNothing()
    {
        var function = Function();
        _refuse = true;
        WriteDword(function, Bar0, 0x0010_0000);
        WriteDword(function, Command, 0x2);
        Assert.Null(function.FramebufferAddress);
    }
}
