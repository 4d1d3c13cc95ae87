using System.Runtime.InteropServices;

namespace Domus.Vmm.Memory;

/// <summary>Zeroed, page-aligned memory of this process that pages in only when touched (mmap MAP_ANONYMOUS).</summary>
internal static partial class AnonymousMapping
{
    private const int ProtReadWrite = 3, MapPrivateAnonymousNoReserve = 0x2 | 0x20 | 0x4000;

    public static nint Map(ulong size, string purpose)
    {
        var host = Mmap(0, (nuint)size, ProtReadWrite, MapPrivateAnonymousNoReserve, -1, 0);
        return host != -1 ? host
            : throw new InsufficientMemoryException($"cannot map {size >> 20} MiB of {purpose}: errno {Marshal.GetLastPInvokeError()}");
    }

    public static void Unmap(nint host, ulong size) => _ = Munmap(host, (nuint)size);

    [LibraryImport("libc", EntryPoint = "mmap", SetLastError = true)]
    private static partial nint Mmap(nint address, nuint length, int protection, int flags, int fd, nint offset);

    [LibraryImport("libc", EntryPoint = "munmap")]
    private static partial int Munmap(nint address, nuint length);
}
