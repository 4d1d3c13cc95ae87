using System.Net.Sockets;

namespace Domus.Api;

/// <summary>Connections to a Unix stream socket, such as domusd's.</summary>
public static class UnixSocket
{
    public static async Task<Socket> ConnectAsync(string path, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Whether something listens on <paramref name="path"/> now; a socket this user may not use is an error.</summary>
    public static async Task<bool> AnswersAsync(string path, CancellationToken cancellationToken = default)
    {
        try
        {
            using var socket = await ConnectAsync(path, cancellationToken);
            return true;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AccessDenied)
        {
            throw new UnauthorizedAccessException($"permission denied on {path}", e);
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
