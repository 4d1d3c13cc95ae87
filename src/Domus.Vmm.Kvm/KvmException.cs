using System.Runtime.InteropServices;

namespace Domus.Vmm.Kvm;

/// <summary>A KVM call failed; the operation and the kernel's errno say which and why.</summary>
public sealed class KvmException(string operation, int errno)
    : IOException($"{operation} failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})")
{
    public int Errno { get; } = errno;

    public static KvmException Last(string operation) => new(operation, Marshal.GetLastPInvokeError());
}
