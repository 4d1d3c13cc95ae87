using Domus.Vmm.Devices.Bus;

namespace Domus.Vmm.Devices.Platform;

/// <summary>
/// The PC's reset registers: port 0x92 (System Control Port A: bit 0 resets, bit 1 is the A20 gate, kept) and
/// port 0xCF9 (Reset Control: writing bit 2 with bit 1 or alone resets). Both call <paramref name="reset"/>.
/// Register it once per port: offset 0 is the port's own byte.
/// </summary>
public sealed class ResetControl(Action reset, bool isPortA) : IPortIoDevice
{
    private byte _value = isPortA ? (byte)0x02 : (byte)0;

    public void Read(ushort offset, Span<byte> data) => data.Fill(_value);

    public void Write(ushort offset, ReadOnlySpan<byte> data)
    {
        if (data.Length != 1)
        {
            return;
        }

        var value = data[0];
        if (isPortA)
        {
            _value = (byte)(value & 0x02);
            if ((value & 0x01) != 0)
            {
                reset();
            }
        }
        else
        {
            _value = (byte)(value & 0x0E);
            if ((value & 0x04) != 0)
            {
                reset();
            }
        }
    }
}
