using System.Text;
using Domus.Vmm.Devices.Serial;

namespace Domus.Vmm.Host;

/// <summary>A serial stream (the firmware's debug port) written to a file line by line.</summary>
public sealed class LogBackend(string path) : ISerialBackend, IDisposable
{
    private readonly StreamWriter _writer = new(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite), Encoding.UTF8) { AutoFlush = false };
    private readonly Lock _lock = new();

    public void Transmit(byte value)
    {
        lock (_lock)
        {
            if (value == '\n')
            {
                _writer.WriteLine();
                _writer.Flush();
            }
            else if (value != '\r')
            {
                _writer.Write((char)value);
            }
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _writer.Dispose();
        }
    }
}
