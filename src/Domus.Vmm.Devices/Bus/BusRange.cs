namespace Domus.Vmm.Devices.Bus;

/// <summary>A range of addresses on a bus: <see cref="Start"/> and <see cref="Length"/> bytes.</summary>
public readonly record struct BusRange(ulong Start, ulong Length)
{
    public ulong End => Start + Length;

    public bool Overlaps(BusRange other) => Start < other.End && other.Start < End;

    public override string ToString() => $"{Start:x}-{End - 1:x}";
}
