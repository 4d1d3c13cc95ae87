namespace Domus.Vmm.Backends.Disks;

/// <summary>
/// The most recently used metadata clusters of one kind, at most <paramref name="capacity"/> of them, so that the
/// memory an image takes is bounded whatever its size. A dirty table is written by <paramref name="writeBack"/>
/// before it leaves (the owner writes every dirty table then, in its order).
/// </summary>
internal sealed class Qcow2TableCache(int capacity, Action writeBack)
{
    private readonly Dictionary<long, LinkedListNode<Qcow2Table>> _byOffset = [];
    private readonly LinkedList<Qcow2Table> _recent = new();

    public IEnumerable<Qcow2Table> Tables => _recent;

    public Qcow2Table? Find(long offset)
    {
        if (!_byOffset.TryGetValue(offset, out var node))
        {
            return null;
        }

        _recent.Remove(node);
        _recent.AddFirst(node);
        return node.Value;
    }

    public void Add(Qcow2Table table)
    {
        if (_byOffset.Count >= capacity)
        {
            if (_recent.Last!.Value.Dirty)
            {
                writeBack();
            }

            _byOffset.Remove(_recent.Last!.Value.Offset);
            _recent.RemoveLast();
        }

        _byOffset[table.Offset] = _recent.AddFirst(table);
    }
}
