using System.Diagnostics.CodeAnalysis;

namespace Domus.Vmm.Devices.Bus;

/// <summary>
/// Maps address ranges to devices. Registration is rare and copies; lookup happens on every exit and takes
/// no lock (a sorted array, searched by halves). An access that straddles the end of a range resolves to
/// nothing, as a bus cycle that no single device decodes.
/// </summary>
public sealed class AddressBus<TDevice>
    where TDevice : class
{
    private readonly Lock _registration = new();
    private volatile (BusRange Range, TDevice Device)[] _entries = [];

    /// <summary>Tells where a device is placed on the bus whenever that changes (null: taken off it).</summary>
    public event Action<TDevice, BusRange?>? Placed;

    public void Register(BusRange range, TDevice device)
    {
        lock (_registration)
        {
            Add(range, device);
            Placed?.Invoke(device, range);
        }
    }

    /// <summary>
    /// Moves <paramref name="device"/> to <paramref name="range"/>, or takes it off the bus when that is null, as a PCI
    /// function's decoding follows its BAR and command register. A range that overlaps another device's leaves
    /// <paramref name="device"/> off the bus and throws.
    /// </summary>
    public void Move(TDevice device, BusRange? range)
    {
        lock (_registration)
        {
            _entries = [.. _entries.Where(e => !ReferenceEquals(e.Device, device))];
            try
            {
                if (range is { } placed)
                {
                    Add(placed, device);
                }
            }
            finally
            {
                Placed?.Invoke(device, _entries.Any(e => ReferenceEquals(e.Device, device)) ? range : null);
            }
        }
    }

    private void Add(BusRange range, TDevice device)
    {
        if (range.Length == 0)
        {
            throw new ArgumentException("a bus range is never empty", nameof(range));
        }

        foreach (var (existing, _) in _entries)
        {
            if (existing.Overlaps(range))
            {
                throw new BusOverlapException(range, existing);
            }
        }

        _entries = [.. _entries.Append((Range: range, Device: device)).OrderBy(e => e.Range.Start)];
    }

    public bool TryResolve(ulong address, int size, [NotNullWhen(true)] out TDevice? device, out ulong offset)
    {
        var entries = _entries;
        int low = 0, high = entries.Length - 1;
        while (low <= high)
        {
            var middle = (low + high) / 2;
            var (range, candidate) = entries[middle];
            if (address < range.Start)
            {
                high = middle - 1;
            }
            else if (address >= range.End)
            {
                low = middle + 1;
            }
            else if (address + (ulong)size <= range.End)
            {
                device = candidate;
                offset = address - range.Start;
                return true;
            }
            else
            {
                break;
            }
        }

        device = null;
        offset = 0;
        return false;
    }
}
