using System.Net.Sockets;

namespace Domus.Platform;

/// <summary>A listening Unix socket that only its owner may connect to, in place of any stale one at the path.</summary>
public static class OwnerOnlySocket
{
    public static Socket Listen(string path, int backlog)
    {
        File.Delete(path);
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            listener.Bind(new UnixDomainSocketEndPoint(path));
            listener.Listen(backlog);
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            return listener;
        }
        catch
        {
            listener.Dispose();
            throw;
        }
    }
}
