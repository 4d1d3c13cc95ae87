using Domus.Vmm.Kvm;

namespace Domus.Vmm.Machine;

/// <summary>
/// A KVM memory slot for a device's memory that the guest places (a PCI memory BAR): unmapped at first, then
/// mapped wherever <see cref="Place"/> is told, and unmapped again on null. KVM refuses a placement that overlaps
/// RAM or another slot; the memory then stays unmapped, and the guest sees nothing there.
/// <see cref="VirtualMachine.AddMovableSlot"/> makes one.
/// </summary>
public sealed class MovableMemorySlot
{
    private readonly Action<ulong, ulong> _setRegion;
    private readonly ulong _size;
    private readonly Lock _lock = new();
    private ulong? _guestAddress;

    /// <param name="setRegion">Sets the slot to a guest address and size; size 0 removes it.</param>
    internal MovableMemorySlot(Action<ulong, ulong> setRegion, ulong size)
    {
        _setRegion = setRegion;
        _size = size;
    }

    public ulong? GuestAddress
    {
        get
        {
            lock (_lock)
            {
                return _guestAddress;
            }
        }
    }

    /// <summary>Maps the memory at <paramref name="guestAddress"/> (null: nowhere); whether it is mapped there now.</summary>
    public bool Place(ulong? guestAddress)
    {
        lock (_lock)
        {
            if (_guestAddress is { } current)
            {
                _setRegion(current, 0);
                _guestAddress = null;
            }

            if (guestAddress is not { } wanted)
            {
                return true;
            }

            try
            {
                _setRegion(wanted, _size);
                _guestAddress = wanted;
                return true;
            }
            catch (KvmException)
            {
                return false;
            }
        }
    }
}
