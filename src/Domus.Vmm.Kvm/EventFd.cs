using System.Runtime.InteropServices;
using Domus.Vmm.Kvm.Interop;

namespace Domus.Vmm.Kvm;

/// <summary>
/// A Linux eventfd, the counter through which KVM and the VMM's threads signal each other without a vCPU exit:
/// KVM signals one when the guest writes a doorbell (<see cref="KvmVm.AddIoEventFd"/>), and injects an interrupt
/// when the VMM signals one (<see cref="KvmVm.AddIrqFd"/>).
/// </summary>
public sealed class EventFd : IDisposable
{
    private readonly KvmFileHandle _handle;

    private EventFd(KvmFileHandle handle) => _handle = handle;

    internal int Descriptor => (int)_handle.DangerousGetHandle();

    public static EventFd Create()
    {
        // EFD_CLOEXEC is O_CLOEXEC.
        var fd = LibC.EventFd(0, LibC.CloseOnExec);
        return fd >= 0 ? new EventFd(new KvmFileHandle(fd)) : throw KvmException.Last("eventfd");
    }

    /// <summary>Adds one to the counter, waking a <see cref="Wait"/>.</summary>
    public unsafe void Signal()
    {
        ulong one = 1;
        if (LibC.Write(_handle, (nint)(&one), sizeof(ulong)) != sizeof(ulong))
        {
            throw KvmException.Last("eventfd write");
        }
    }

    /// <summary>Blocks until the counter is not zero, and takes it: how many signals there were since the last wait.</summary>
    public unsafe ulong Wait()
    {
        ulong count;
        while (LibC.Read(_handle, (nint)(&count), sizeof(ulong)) != sizeof(ulong))
        {
            if (Marshal.GetLastPInvokeError() != LibC.Interrupted)
            {
                throw KvmException.Last("eventfd read");
            }
        }

        return count;
    }

    public void Dispose() => _handle.Dispose();
}
