using System.Net.WebSockets;
using System.Text;

namespace Domus.Bench.Net;

/// <summary>A guest's serial console for the benchmark: wait for a text, type a line.</summary>
public static class ConsoleText
{
    public static async Task WaitForAsync(WebSocket console, string text, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        var seen = new StringBuilder();
        var buffer = new byte[4096];
        while (!seen.ToString().Contains(text, StringComparison.Ordinal))
        {
            var received = await console.ReceiveAsync(buffer, deadline.Token);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                throw new InvalidOperationException($"the console closed before '{text}':\n{seen}");
            }

            seen.Append(Encoding.UTF8.GetString(buffer, 0, received.Count));
        }
    }

    public static Task SendLineAsync(WebSocket console, string line) =>
        console.SendAsync(Encoding.UTF8.GetBytes(line + "\r"), WebSocketMessageType.Binary, true, CancellationToken.None);
}
