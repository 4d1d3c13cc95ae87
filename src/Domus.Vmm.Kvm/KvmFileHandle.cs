using Microsoft.Win32.SafeHandles;

namespace Domus.Vmm.Kvm;

/// <summary>A file descriptor of the KVM ABI: /dev/kvm, a VM, a vCPU or an eventfd. Minus one is invalid; fd 0 is not.</summary>
public sealed class KvmFileHandle() : SafeHandleMinusOneIsInvalid(ownsHandle: true)
{
    public KvmFileHandle(int fd)
        : this()
    {
        SetHandle(fd);
    }

    protected override bool ReleaseHandle() => Interop.LibC.Close((int)handle) == 0;
}
