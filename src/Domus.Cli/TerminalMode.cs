using System.Runtime.InteropServices;

namespace Domus.Cli;

/// <summary>
/// Puts the terminal on standard input into raw mode for the console (every key goes to the guest, the guest
/// does the echoing) and back as it was. Done with termios directly: a child stty would be undone by .NET,
/// which resets the terminal when a child process exits.
/// </summary>
public sealed partial class TerminalMode : IDisposable
{
    private const int StandardInput = 0;
    private const int SetNow = 0;

    /// <summary>struct termios is 60 bytes on Linux; it is only handed between libc calls here.</summary>
    private const int TermiosSize = 64;

    private readonly byte[] _saved;

    private TerminalMode(byte[] saved) => _saved = saved;

    public static TerminalMode? Raw()
    {
        var saved = new byte[TermiosSize];
        if (tcgetattr(StandardInput, saved) != 0)
        {
            return null;
        }

        var raw = (byte[])saved.Clone();
        cfmakeraw(raw);
        return tcsetattr(StandardInput, SetNow, raw) == 0 ? new TerminalMode(saved) : null;
    }

    public void Dispose() => _ = tcsetattr(StandardInput, SetNow, _saved);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int tcgetattr(int fd, [Out] byte[] termios);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int tcsetattr(int fd, int optionalActions, [In] byte[] termios);

    [LibraryImport("libc")]
    private static partial void cfmakeraw([In, Out] byte[] termios);
}
