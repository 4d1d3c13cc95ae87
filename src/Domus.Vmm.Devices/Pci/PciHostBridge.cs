using System.Buffers.Binary;
using Domus.Vmm.Devices.Bus;

namespace Domus.Vmm.Devices.Pci;

/// <summary>
/// PCI configuration mechanism #1 (ports 0xCF8 address, 0xCFC-0xCFF data) on bus 0: the address register
/// selects device, function and register; the data window reads or writes that function's configuration
/// space. A function that is not there reads as all ones, which is how the firmware finds what is present.
/// Register it over 8 ports from 0xCF8. A byte access to 0xCF9 is not PCI's: it reaches the chipset's reset
/// control register, given as <paramref name="resetControl"/>.
/// </summary>
public sealed class PciHostBridge(IPortIoDevice resetControl) : IPortIoDevice
{
    private const uint Enable = 0x8000_0000;
    private readonly Lock _lock = new();
    private readonly Dictionary<(int Device, int Function), IPciFunction> _functions = [];
    private uint _address;

    public void Attach(int device, int function, IPciFunction pciFunction)
    {
        lock (_lock)
        {
            if (!_functions.TryAdd((device, function), pciFunction))
            {
                throw new ArgumentException($"PCI 00:{device:x2}.{function} is taken");
            }
        }
    }

    public void Read(ushort offset, Span<byte> data)
    {
        if (offset == 1 && data.Length == 1)
        {
            resetControl.Read(0, data);
            return;
        }

        lock (_lock)
        {
            if (offset < 4)
            {
                Span<byte> address = stackalloc byte[4];
                BinaryPrimitives.WriteUInt32LittleEndian(address, _address);
                address.Slice(offset, Math.Min(data.Length, 4 - offset)).CopyTo(data);
                return;
            }

            if (Selected() is { } selected)
            {
                selected.Function.ReadConfig(selected.Register + (offset - 4), data);
            }
            else
            {
                data.Fill(0xFF);
            }
        }
    }

    public void Write(ushort offset, ReadOnlySpan<byte> data)
    {
        if (offset == 1 && data.Length == 1)
        {
            resetControl.Write(0, data);
            return;
        }

        lock (_lock)
        {
            if (offset == 0 && data.Length == 4)
            {
                _address = BinaryPrimitives.ReadUInt32LittleEndian(data);
            }
            else if (offset >= 4 && Selected() is { } selected)
            {
                selected.Function.WriteConfig(selected.Register + (offset - 4), data);
            }
        }
    }

    private (IPciFunction Function, int Register)? Selected()
    {
        if ((_address & Enable) == 0 || ((_address >> 16) & 0xFF) != 0)
        {
            return null;
        }

        var device = (int)(_address >> 11) & 0x1F;
        var function = (int)(_address >> 8) & 0x7;
        return _functions.TryGetValue((device, function), out var found) ? (found, (int)(_address & 0xFC)) : null;
    }
}
