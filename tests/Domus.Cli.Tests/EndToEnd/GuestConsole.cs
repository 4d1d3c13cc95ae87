using System.Net.WebSockets;
using System.Text;

namespace Domus.Cli.Tests.EndToEnd;

/// <summary>A domain's serial console for a test: everything the guest wrote so far, and lines to type.</summary>
public sealed class GuestConsole : IAsyncDisposable
{
    private readonly WebSocket _socket;
    private readonly StringBuilder _output = new();
    private readonly Lock _lock = new();
    private readonly Task _reader;
    private int _mark;

    public GuestConsole(WebSocket socket)
    {
        _socket = socket;
        _reader = Task.Run(ReadAsync);
    }

    public string Output
    {
        get
        {
            lock (_lock)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>True once the console closed, which it does when the domain ends.</summary>
    public bool Closed => _reader.IsCompleted;

    /// <summary>Waits until <paramref name="text"/> appears after the last match, and returns all output.</summary>
    public async Task<string> WaitForAsync(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            lock (_lock)
            {
                var found = _output.ToString().IndexOf(text, _mark, StringComparison.Ordinal);
                if (found >= 0)
                {
                    _mark = found + text.Length;
                    return _output.ToString();
                }
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"'{text}' did not appear within {timeout.TotalSeconds} s; the console said:\n{Output}");
    }

    public Task SendLineAsync(string line) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(line + "\r"), WebSocketMessageType.Binary, true, CancellationToken.None);

    private async Task ReadAsync()
    {
        var buffer = new byte[8192];
        var decoder = Encoding.UTF8.GetDecoder();
        var chars = new char[8192];
        try
        {
            while (true)
            {
                var message = await _socket.ReceiveAsync(buffer, CancellationToken.None);
                if (message.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                var count = decoder.GetChars(buffer, 0, message.Count, chars, 0);
                lock (_lock)
                {
                    _output.Append(chars, 0, count);
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The domain or domusd went away, or the test closed the console.
        }
    }

    public async ValueTask DisposeAsync()
    {
        _socket.Abort();
        await _reader;
        _socket.Dispose();
    }
}
