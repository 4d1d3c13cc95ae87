using Domus.Vmm.Devices.Serial;

namespace Domus.Vmm.Machine.Domain;

/// <summary>A serial port written to a file (<c>serial = 'file:/PATH'</c>): every byte appended as it comes, unbuffered, as QEMU's file chardev does.</summary>
public sealed class FileSerialBackend : ISerialBackend, IDisposable
{
    private readonly FileStream _file;

    private FileSerialBackend(FileStream file) => _file = file;

    /// <exception cref="IOException">The file cannot be opened for appending.</exception>
    /// <exception cref="UnauthorizedAccessException">The file may not be written.</exception>
    public static FileSerialBackend Open(string path) =>
        new(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0));

    public void Transmit(byte value)
    {
        try
        {
            _file.WriteByte(value);
        }
        catch (IOException)
        {
            // A full disk loses serial output, as a port with nothing listening does; the guest never notices.
        }
    }

    public void Dispose() => _file.Dispose();
}
