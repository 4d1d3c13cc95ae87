using Domus.Vmm.Devices.Serial;

namespace Domus.Vmm.Machine.Domain;

/// <summary>A serial port with nothing attached, as <c>serial = 'none'</c> has it.</summary>
public sealed class DiscardingBackend : ISerialBackend
{
    public static readonly DiscardingBackend Instance = new();

    public void Transmit(byte value)
    {
    }
}
