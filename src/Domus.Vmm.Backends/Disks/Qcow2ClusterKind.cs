namespace Domus.Vmm.Backends.Disks;

/// <summary>What an L2 entry says about a guest cluster.</summary>
internal enum Qcow2ClusterKind
{
    /// <summary>Never written: reads as zeros.</summary>
    Unallocated,

    /// <summary>Version 3's zero flag: reads as zeros, maybe with a host cluster kept for it.</summary>
    Zero,

    /// <summary>The data is in a host cluster.</summary>
    Normal,

    /// <summary>The data is deflated at a byte offset of the file, over some 512-byte sectors.</summary>
    Compressed,
}
