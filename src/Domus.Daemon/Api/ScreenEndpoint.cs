using System.Net.Sockets;
using System.Net.WebSockets;
using Domus.Config.Normalization;
using Domus.Daemon.Domains;

namespace Domus.Daemon.Api;

/// <summary>
/// A domain's VNC server through a WebSocket (for noVNC in the web manager): the RFB bytes pass unchanged both
/// ways between the WebSocket's binary messages and a TCP connection to the device model's VNC port, so the
/// VNC password, if the domain has one, is asked by the server itself.
/// </summary>
public static class ScreenEndpoint
{
    private const int BufferSize = 64 * 1024;

    public static async Task HandleAsync(HttpContext context, string domain, DomainManager manager)
    {
        var target = manager.Find(domain);
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await ApiErrors.WriteAsync(context, StatusCodes.Status400BadRequest, "the screen is a WebSocket");
            return;
        }

        if (target.VncPort is not { } port)
        {
            await ApiErrors.WriteAsync(context, StatusCodes.Status409Conflict, $"{target.Name} has no VNC screen (vnc = 0, or it is not running)");
            return;
        }

        var host = VncListen.ConnectAddress(target.Record.Config.Vnc.Listen);
        using var vnc = new TcpClient();
        try
        {
            await vnc.ConnectAsync(host, port, context.RequestAborted);
        }
        catch (SocketException e)
        {
            await ApiErrors.WriteAsync(context, StatusCodes.Status502BadGateway, $"{target.Name}'s VNC server at {host}:{port} does not answer: {e.Message}");
            return;
        }

        try
        {
            var protocol = context.WebSockets.WebSocketRequestedProtocols.Contains("binary") ? "binary" : null;
            using var socket = await context.WebSockets.AcceptWebSocketAsync(protocol);
            using var done = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
            var stream = vnc.GetStream();
            var toClient = ToClientAsync(stream, socket, done.Token);
            var toServer = ToServerAsync(socket, stream, done.Token);
            await Task.WhenAny(toClient, toServer);
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "screen closed", CancellationToken.None);
            }

            await done.CancelAsync();
        }
        catch (Exception e) when (e is WebSocketException or IOException or OperationCanceledException)
        {
            // The viewer or the VNC server went away.
        }
    }

    private static async Task ToClientAsync(NetworkStream vnc, WebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[BufferSize];
        int read;
        while ((read = await vnc.ReadAsync(buffer, cancellationToken)) > 0)
        {
            await socket.SendAsync(buffer.AsMemory(0, read), WebSocketMessageType.Binary, true, cancellationToken);
        }
    }

    private static async Task ToServerAsync(WebSocket socket, NetworkStream vnc, CancellationToken cancellationToken)
    {
        var buffer = new byte[BufferSize];
        while (true)
        {
            var received = await socket.ReceiveAsync(buffer, cancellationToken);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                return;
            }

            await vnc.WriteAsync(buffer.AsMemory(0, received.Count), cancellationToken);
        }
    }
}
