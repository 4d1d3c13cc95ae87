namespace Domus.Vmm.Devices.Pci;

/// <summary>A PCI function's configuration space, as the host bridge reaches it; offsets within 256 bytes.</summary>
public interface IPciFunction
{
    void ReadConfig(int offset, Span<byte> data);

    void WriteConfig(int offset, ReadOnlySpan<byte> data);
}
