using Domus.Vmm.Devices.Bus;
using Domus.Vmm.Memory;

namespace Domus.Vmm.Devices.Storage;

/// <summary>
/// The bus-master IDE registers of a PIIX IDE function, behind its BAR 4: the primary channel's at 0-7 (command,
/// status, PRD table address) and the secondary's at 8-15. Each channel's DMA commands move their data in
/// <paramref name="memory"/>; the function's bus-master enable bit lets the engines reach it.
/// </summary>
public sealed class IdeBusMaster : IPortIoDevice
{
    public const int Length = 2 * IdeDmaEngine.Length;
    private readonly IdeDmaEngine[] _engines;

    public IdeBusMaster(GuestMemory memory, IdeChannel primary, IdeChannel secondary)
    {
        _engines = [new IdeDmaEngine(primary, memory), new IdeDmaEngine(secondary, memory)];
    }

    public void Read(ushort offset, Span<byte> data) => Engine(offset).Read(offset % IdeDmaEngine.Length, data);

    public void Write(ushort offset, ReadOnlySpan<byte> data) => Engine(offset).Write(offset % IdeDmaEngine.Length, data);

    /// <summary>The PCI command register's bus-master enable bit changed.</summary>
    internal void EnableBusMastering(bool enabled)
    {
        foreach (var engine in _engines)
        {
            engine.EnableBusMastering(enabled);
        }
    }

    private IdeDmaEngine Engine(ushort offset) => _engines[offset / IdeDmaEngine.Length & 1];
}
