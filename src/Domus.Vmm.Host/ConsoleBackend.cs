using Domus.Vmm.Backends.Consoles;
using Domus.Vmm.Devices.Serial;

namespace Domus.Vmm.Host;

/// <summary>COM1's output to the console socket and log.</summary>
public sealed class ConsoleBackend(SocketConsole console) : ISerialBackend
{
    public void Transmit(byte value) => console.Write(value);
}
