namespace Domus.Vmm.Devices.Serial;

/// <summary>Where a serial port's output goes (a pty, a socket, a test's buffer).</summary>
public interface ISerialBackend
{
    void Transmit(byte value);
}
