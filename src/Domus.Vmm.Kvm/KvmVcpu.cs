using System.Runtime.InteropServices;
using Domus.Vmm.Kvm.Abi;
using Domus.Vmm.Kvm.Interop;

namespace Domus.Vmm.Kvm;

/// <summary>
/// One virtual CPU: KVM_RUN, the kvm_run area it shares with the kernel (mapped once), and its registers.
/// A vCPU belongs to the thread that runs it.
/// </summary>
public sealed unsafe class KvmVcpu : IDisposable
{
    private const int EINTR = 4, EAGAIN = 11;
    private readonly KvmFileHandle _handle;
    private readonly nint _run;
    private readonly int _runSize;
    private volatile int _threadId;

    internal KvmVcpu(int id, KvmFileHandle handle, int mmapSize)
    {
        Id = id;
        _handle = handle;
        _runSize = mmapSize;
        _run = LibC.Mmap(0, (nuint)mmapSize, LibC.ProtRead | LibC.ProtWrite, LibC.MapShared, handle, 0);
        if (_run == LibC.MapFailed)
        {
            handle.Dispose();
            throw KvmException.Last($"mmap of vCPU {id}'s kvm_run");
        }
    }

    public int Id { get; }

    public ref KvmRunHeader Header => ref *(KvmRunHeader*)_run;

    private byte* Union => (byte*)_run + KvmRunHeader.ExitUnionOffset;

    /// <summary>The host thread that runs this vCPU (its Linux thread id), or 0 before one does.</summary>
    public int ThreadId => _threadId;

    /// <summary>Records the calling thread as the one that runs this vCPU, so that <see cref="RequestExit"/> can reach it.</summary>
    public void BindToCurrentThread()
    {
        VcpuSignal.EnsureInstalled();
        _threadId = LibC.GetTid();
    }

    /// <summary>
    /// Makes the vCPU's thread leave KVM_RUN soon with <see cref="KvmExitReason.Interrupted"/>: immediate_exit covers a
    /// thread about to enter, the signal one already inside. The running thread clears immediate_exit before it
    /// looks at why it might stop, so a request is never lost.
    /// </summary>
    public void RequestExit()
    {
        Volatile.Write(ref Header.ImmediateExit, 1);
        if (_threadId != 0)
        {
            _ = LibC.Tgkill(LibC.GetPid(), _threadId, VcpuSignal.Number);
        }
    }

    /// <summary>Runs the vCPU until an exit that needs the VMM; a signal makes it <see cref="KvmExitReason.Interrupted"/>.</summary>
    public KvmExitReason Run()
    {
        if (LibC.Ioctl(_handle, KvmIoctl.Run, 0) < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            return errno is EINTR or EAGAIN ? KvmExitReason.Interrupted : throw new KvmException($"KVM_RUN on vCPU {Id}", errno);
        }

        return (KvmExitReason)Header.ExitReason;
    }

    public IoExit Io => new(Union[0] == 1, Union[1], *(ushort*)(Union + 2), (int)*(uint*)(Union + 4));

    /// <summary>The bytes of the port I/O exit: what the guest wrote, or where to put what it reads.</summary>
    public Span<byte> IoData
    {
        get
        {
            var io = Io;
            var offset = *(ulong*)(Union + 8);
            var length = io.Size * io.Count;
            return offset + (ulong)length <= (ulong)_runSize ? new Span<byte>((byte*)_run + offset, length) : [];
        }
    }

    public MmioExit Mmio => new(*(ulong*)Union, Math.Min(8, (int)*(uint*)(Union + 16)), Union[20] != 0);

    public Span<byte> MmioData => new(Union + 8, Mmio.Length);

    public ulong FailEntryReason => *(ulong*)Union;

    public uint InternalErrorSuberror => *(uint*)Union;

    public uint SystemEventType => *(uint*)Union;

    public KvmRegs GetRegs() => Get<KvmRegs>(KvmIoctl.GetRegs, "KVM_GET_REGS");

    public void SetRegs(in KvmRegs regs) => Set(KvmIoctl.SetRegs, regs, "KVM_SET_REGS");

    public KvmSregs GetSregs() => Get<KvmSregs>(KvmIoctl.GetSregs, "KVM_GET_SREGS");

    public void SetSregs(in KvmSregs sregs) => Set(KvmIoctl.SetSregs, sregs, "KVM_SET_SREGS");

    /// <summary>An ioctl that fills a structure of the vCPU's state.</summary>
    private T Get<T>(nuint request, string name)
        where T : unmanaged
    {
        T value;
        Check(LibC.Ioctl(_handle, request, (nint)(&value)), name);
        return value;
    }

    /// <summary>An ioctl that hands the vCPU a structure of its state.</summary>
    private void Set<T>(nuint request, in T value, string name)
        where T : unmanaged
    {
        fixed (T* pointer = &value)
        {
            Check(LibC.Ioctl(_handle, request, (nint)pointer), name);
        }
    }

    public void SetCpuid(ReadOnlySpan<KvmCpuidEntry2> entries)
    {
        var buffer = new byte[8 + (entries.Length * sizeof(KvmCpuidEntry2))];
        fixed (byte* pointer = buffer)
        {
            *(uint*)pointer = (uint)entries.Length;
            entries.CopyTo(new Span<KvmCpuidEntry2>(pointer + 8, entries.Length));
            Check(LibC.Ioctl(_handle, KvmIoctl.SetCpuid2, (nint)pointer), "KVM_SET_CPUID2");
        }
    }

    /// <summary>Size of struct kvm_lapic_state: the local APIC's 1 KiB register page.</summary>
    public const int LapicStateSize = 1024;

    /// <summary>
    /// Sets the delivery modes of the local APIC's LINT0 and LINT1 pins (LVT registers 0x350 and 0x360), which
    /// firmware normally programs: a directly booted kernel expects LINT0 as ExtINT (the 8259's output) and
    /// LINT1 as NMI.
    /// </summary>
    public void SetLocalInterruptPins(uint lint0DeliveryMode, uint lint1DeliveryMode)
    {
        var state = stackalloc byte[LapicStateSize];
        Check(LibC.Ioctl(_handle, KvmIoctl.GetLapic, (nint)state), "KVM_GET_LAPIC");
        static void SetMode(byte* register, uint mode) => *(uint*)register = (*(uint*)register & ~0x700u) | (mode << 8);
        SetMode(state + 0x350, lint0DeliveryMode);
        SetMode(state + 0x360, lint1DeliveryMode);
        Check(LibC.Ioctl(_handle, KvmIoctl.SetLapic, (nint)state), "KVM_SET_LAPIC");
    }

    public void SetMsrs(ReadOnlySpan<KvmMsrEntry> entries)
    {
        var buffer = new byte[8 + (entries.Length * sizeof(KvmMsrEntry))];
        fixed (byte* pointer = buffer)
        {
            *(uint*)pointer = (uint)entries.Length;
            entries.CopyTo(new Span<KvmMsrEntry>(pointer + 8, entries.Length));
            var set = LibC.Ioctl(_handle, KvmIoctl.SetMsrs, (nint)pointer);
            if (set != entries.Length)
            {
                throw set < 0 ? KvmException.Last("KVM_SET_MSRS") : new KvmException($"KVM_SET_MSRS set {set} of {entries.Length} MSRs (MSR {entries[set].Index:x})", 0);
            }
        }
    }

    private static void Check(int result, string operation)
    {
        if (result < 0)
        {
            throw KvmException.Last(operation);
        }
    }

    public void Dispose()
    {
        LibC.Munmap(_run, (nuint)_runSize);
        _handle.Dispose();
    }
}
