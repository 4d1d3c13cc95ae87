using System.Runtime.InteropServices;

namespace Domus.Vmm.Kvm.Interop;

/// <summary>The few libc calls the KVM ABI needs.</summary>
internal static partial class LibC
{
    public const int ReadWrite = 2;
    public const int CloseOnExec = 0x80000;
    public const int ProtRead = 1;
    public const int ProtWrite = 2;
    public const int MapShared = 1;
    public const int MapPrivate = 2;
    public const int MapAnonymous = 0x20;
    public const int MapNoReserve = 0x4000;

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    public static partial int Ioctl(SafeHandle fd, nuint request, nint argument);

    public const int Interrupted = 4;

    [LibraryImport("libc", EntryPoint = "eventfd", SetLastError = true)]
    public static partial int EventFd(uint initialValue, int flags);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    public static partial nint Read(SafeHandle fd, nint buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    public static partial nint Write(SafeHandle fd, nint buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "mmap", SetLastError = true)]
    public static partial nint Mmap(nint address, nuint length, int protection, int flags, int fd, nint offset);

    [LibraryImport("libc", EntryPoint = "mmap", SetLastError = true)]
    public static partial nint Mmap(nint address, nuint length, int protection, int flags, SafeHandle fd, nint offset);

    [LibraryImport("libc", EntryPoint = "munmap", SetLastError = true)]
    public static partial int Munmap(nint address, nuint length);

    public static readonly nint MapFailed = -1;

    public const int SignalRestart = 0x1000_0000;

    [LibraryImport("libc", EntryPoint = "gettid")]
    public static partial int GetTid();

    [LibraryImport("libc", EntryPoint = "getpid")]
    public static partial int GetPid();

    [LibraryImport("libc", EntryPoint = "tgkill", SetLastError = true)]
    public static partial int Tgkill(int processId, int threadId, int signal);

    [LibraryImport("libc", EntryPoint = "sigaction", SetLastError = true)]
    public static partial int SigAction(int signal, in SignalAction action, nint oldAction);

    /// <summary>glibc's struct sigaction on x86-64: handler, a 1024-bit mask, flags and the restorer (152 bytes).</summary>
    [StructLayout(LayoutKind.Explicit, Size = 152)]
    public struct SignalAction
    {
        [FieldOffset(0)]
        public nint Handler;

        [FieldOffset(136)]
        public int Flags;
    }
}
