using System.Runtime.InteropServices;
using Domus.Vmm.Kvm.Interop;

namespace Domus.Vmm.Kvm;

/// <summary>
/// The signal that kicks a vCPU thread out of KVM_RUN (which then fails with EINTR). Its handler must exist, or the
/// signal would end the process, and must do nothing; it cannot be managed code, since a signal handler may not
/// enter the runtime. libc's sched_yield is a native function that ignores its argument and touches no state, so
/// it serves as the empty handler.
/// </summary>
internal static class VcpuSignal
{
    /// <summary>SIGUSR2: QEMU kicks its vCPUs with SIGUSR1; the .NET runtime uses neither.</summary>
    public const int Number = 12;

    private static readonly Lazy<bool> Installed = new(Install);

    public static void EnsureInstalled() => _ = Installed.Value;

    private static bool Install()
    {
        var libc = NativeLibrary.Load("libc.so.6");
        // SA_RESTART lets other system calls on the vCPU thread continue; KVM_RUN is never restarted.
        var action = new LibC.SignalAction { Handler = NativeLibrary.GetExport(libc, "sched_yield"), Flags = LibC.SignalRestart };
        if (LibC.SigAction(Number, action, 0) < 0)
        {
            throw KvmException.Last("sigaction for the vCPU kick signal");
        }

        return true;
    }
}
