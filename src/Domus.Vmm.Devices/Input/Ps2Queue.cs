namespace Domus.Vmm.Devices.Input;

/// <summary>The bytes a PS/2 device has for the controller; beyond its capacity, new bytes are dropped as a full keyboard buffer drops keys.</summary>
internal sealed class Ps2Queue
{
    private const int Capacity = 256;
    private readonly Queue<byte> _bytes = new();

    public bool IsEmpty => _bytes.Count == 0;

    public void Enqueue(ReadOnlySpan<byte> bytes)
    {
        if (_bytes.Count + bytes.Length > Capacity)
        {
            return;
        }

        foreach (var value in bytes)
        {
            _bytes.Enqueue(value);
        }
    }

    public byte Dequeue() => _bytes.Dequeue();

    public void Clear() => _bytes.Clear();
}
