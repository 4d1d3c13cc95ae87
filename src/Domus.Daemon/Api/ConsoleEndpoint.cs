using System.Net.WebSockets;
using Domus.Daemon.Domains;

namespace Domus.Daemon.Api;

/// <summary>
/// A domain's serial console as a WebSocket of raw bytes: what the guest writes arrives as binary messages,
/// what the client sends is typed into the guest. <c>?history=1</c> first replays the recent output.
/// </summary>
public static class ConsoleEndpoint
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(2);

    public static async Task HandleAsync(HttpContext context, string domain, DomainManager manager)
    {
        var target = manager.Find(domain);
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await ApiErrors.WriteAsync(context, StatusCodes.Status400BadRequest, "the console is a WebSocket");
            return;
        }

        if (target.Console is not { } relay)
        {
            await ApiErrors.WriteAsync(context, StatusCodes.Status409Conflict, $"{target.Name} has no serial console (set serial = 'pty')");
            return;
        }

        var output = relay.Subscribe();
        try
        {
            await relay.WaitUntilConnectedAsync(ConnectTimeout, context.RequestAborted);
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            if (context.Request.Query["history"] == "1")
            {
                await socket.SendAsync(relay.History(), WebSocketMessageType.Binary, true, context.RequestAborted);
            }

            using var done = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
            var toClient = PumpOutputAsync(socket, output, done.Token);
            var fromClient = PumpInputAsync(socket, relay, done.Token);
            await Task.WhenAny(toClient, fromClient);
            await done.CancelAsync();
            if (socket.State == WebSocketState.Open)
            {
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "console closed", CancellationToken.None);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // The client went away.
        }
        finally
        {
            relay.Unsubscribe(output);
        }
    }

    private static async Task PumpOutputAsync(WebSocket socket, System.Threading.Channels.ChannelReader<byte[]> output, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var chunk in output.ReadAllAsync(cancellationToken))
            {
                await socket.SendAsync(chunk, WebSocketMessageType.Binary, true, cancellationToken);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // Either side ended.
        }
    }

    private static async Task PumpInputAsync(WebSocket socket, Console.ConsoleRelay relay, CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                var message = await socket.ReceiveAsync(buffer, cancellationToken);
                if (message.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                await relay.WriteAsync(buffer.AsMemory(0, message.Count), cancellationToken);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // Either side ended.
        }
    }
}
