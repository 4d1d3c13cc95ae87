namespace Domus.Vmm.Devices.Bus;

/// <summary>
/// A device on the I/O port bus. <paramref name="offset"/> is relative to the range the device was registered
/// at; accesses are 1, 2 or 4 bytes, and a device ignores widths it does not implement rather than throw.
/// </summary>
public interface IPortIoDevice
{
    void Read(ushort offset, Span<byte> data);

    void Write(ushort offset, ReadOnlySpan<byte> data);
}
