using System.Runtime.InteropServices;

namespace Domus.Platform;

/// <summary>What domusd and domus-dm do to their own process to live as daemons: their own session, output to a log.</summary>
public static partial class DaemonProcess
{
    private const int WriteOnly = 0x1, Create = 0x40, Append = 0x400, CloseOnExec = 0x80000;

    /// <summary>Leaves the parent's session and process group, so that signals to them do not reach this process.</summary>
    public static void DetachFromSession() => _ = SetSid();

    /// <summary>
    /// Points standard output and error at <paramref name="path"/> (appended), once the parent stops reading them; the
    /// runtime's own last words on a crash go there too.
    /// </summary>
    public static void RedirectOutputTo(string path)
    {
        var fd = Open(path, WriteOnly | Create | Append | CloseOnExec, 0x1A4);
        if (fd < 0)
        {
            throw new IOException($"cannot open {path}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }

        _ = Dup2(fd, 1);
        _ = Dup2(fd, 2);
        _ = Close(fd);
    }

    [LibraryImport("libc", EntryPoint = "setsid", SetLastError = true)]
    private static partial int SetSid();

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "dup2", SetLastError = true)]
    private static partial int Dup2(int from, int to);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
