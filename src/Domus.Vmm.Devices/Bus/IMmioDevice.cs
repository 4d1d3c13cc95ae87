namespace Domus.Vmm.Devices.Bus;

/// <summary>A device on the memory-mapped I/O bus; offsets relative to its range, accesses of 1 to 8 bytes.</summary>
public interface IMmioDevice
{
    void Read(ulong offset, Span<byte> data);

    void Write(ulong offset, ReadOnlySpan<byte> data);
}
