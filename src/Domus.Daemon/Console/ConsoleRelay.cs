using System.Net.Sockets;
using System.Threading.Channels;

namespace Domus.Daemon.Console;

/// <summary>
/// Shares a domain's serial console among its clients (the CLI's domus console, a browser terminal). QEMU
/// serves the console on a socket and logs all of it to a file; the socket is held only while someone
/// watches, because QEMU sends it a byte at a time, and an unwatched connection would cost the booting
/// guest CPU time for nothing. History comes from the log file, so nothing is lost while no one watches
/// or while domusd is away.
/// </summary>
public sealed class ConsoleRelay(string socketPath, string logPath) : IAsyncDisposable
{
    public const int HistoryBytes = 64 * 1024;
    private static readonly TimeSpan RetryInterval = TimeSpan.FromMilliseconds(100);

    private readonly Lock _lock = new();
    private readonly List<Channel<byte[]>> _subscribers = [];
    private CancellationTokenSource? _connection;
    private Task _loop = Task.CompletedTask;
    private Socket? _socket;
    private bool _disposed;
    private TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Waits (a little) until the relay holds the console, so that a new client misses nothing that follows.</summary>
    public async Task WaitUntilConnectedAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await _connected.Task.WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            // The device model is not listening (yet); the client still gets what comes once it is.
        }
    }

    /// <summary>The last <see cref="HistoryBytes"/> the guest wrote to the console, from QEMU's log.</summary>
    public byte[] History()
    {
        try
        {
            using var log = new FileStream(logPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            var length = (int)Math.Min(log.Length, HistoryBytes);
            log.Position = log.Length - length;
            var history = new byte[length];
            log.ReadExactly(history);
            return history;
        }
        catch (FileNotFoundException)
        {
            return [];
        }
    }

    public ChannelReader<byte[]> Subscribe()
    {
        var channel = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(1024) { FullMode = BoundedChannelFullMode.DropOldest });
        lock (_lock)
        {
            if (_disposed)
            {
                channel.Writer.TryComplete();
                return channel.Reader;
            }

            _subscribers.Add(channel);
            if (_subscribers.Count == 1)
            {
                _connection = new CancellationTokenSource();
                var token = _connection.Token;
                var previous = _loop;
                _loop = Task.Run(async () =>
                {
                    await previous;
                    await RelayAsync(token);
                });
            }
        }

        return channel.Reader;
    }

    public void Unsubscribe(ChannelReader<byte[]> reader)
    {
        lock (_lock)
        {
            _subscribers.RemoveAll(c => c.Reader == reader);
            if (_subscribers.Count == 0)
            {
                _connection?.Cancel();
            }
        }
    }

    /// <summary>Types into the console; dropped when the console is not connected.</summary>
    public async Task WriteAsync(ReadOnlyMemory<byte> input, CancellationToken cancellationToken)
    {
        if (_socket is not { } socket)
        {
            return;
        }

        try
        {
            await socket.SendAsync(input, SocketFlags.None, cancellationToken);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // The console went away; the relay reconnects.
        }
    }

    private async Task RelayAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[HistoryBytes];
        while (!cancellationToken.IsCancellationRequested)
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken);
                _socket = socket;
                _connected.TrySetResult();
                int read;
                while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken)) > 0)
                {
                    Publish(buffer.AsSpan(0, read).ToArray());
                }
            }
            catch (SocketException)
            {
                // Not there yet, or gone: try again.
            }
            catch (OperationCanceledException)
            {
                return;
            }
            finally
            {
                _socket = null;
                if (_connected.Task.IsCompleted)
                {
                    _connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }
            }

            try
            {
                await Task.Delay(RetryInterval, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void Publish(byte[] data)
    {
        lock (_lock)
        {
            foreach (var subscriber in _subscribers)
            {
                subscriber.Writer.TryWrite(data);
            }
        }
    }

    /// <summary>Ends every client's console: the domain's device model is gone.</summary>
    public async ValueTask DisposeAsync()
    {
        Task loop;
        lock (_lock)
        {
            _disposed = true;
            _connection?.Cancel();
            foreach (var subscriber in _subscribers)
            {
                subscriber.Writer.TryComplete();
            }

            _subscribers.Clear();
            loop = _loop;
        }

        await loop;
        _connection?.Dispose();
    }
}
