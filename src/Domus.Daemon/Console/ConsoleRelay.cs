using System.Net.Sockets;
using System.Threading.Channels;

namespace Domus.Daemon.Console;

/// <summary>
/// Holds the one connection to a domain's serial console socket and shares it: every subscriber (the CLI's
/// domus console, a browser terminal) gets what the guest writes from then on, plus the recent history, and
/// may type. While domusd is away QEMU keeps logging the console to its log file; domusd reconnects when back.
/// </summary>
public sealed class ConsoleRelay : IAsyncDisposable
{
    public const int HistoryBytes = 64 * 1024;
    private static readonly TimeSpan RetryInterval = TimeSpan.FromMilliseconds(100);

    private readonly string _socketPath;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _lock = new();
    private readonly List<Channel<byte[]>> _subscribers = [];
    private readonly byte[] _history = new byte[HistoryBytes];
    private readonly Task _loop;
    private long _historyLength;
    private Socket? _socket;

    public ConsoleRelay(string socketPath)
    {
        _socketPath = socketPath;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>What the guest wrote recently, oldest first.</summary>
    public byte[] History()
    {
        lock (_lock)
        {
            var length = (int)Math.Min(_historyLength, HistoryBytes);
            var start = (int)(_historyLength % HistoryBytes);
            var copy = new byte[length];
            if (_historyLength <= HistoryBytes)
            {
                Array.Copy(_history, copy, length);
            }
            else
            {
                Array.Copy(_history, start, copy, 0, HistoryBytes - start);
                Array.Copy(_history, 0, copy, HistoryBytes - start, start);
            }

            return copy;
        }
    }

    public ChannelReader<byte[]> Subscribe()
    {
        var channel = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(1024) { FullMode = BoundedChannelFullMode.DropOldest });
        lock (_lock)
        {
            _subscribers.Add(channel);
        }

        return channel.Reader;
    }

    public void Unsubscribe(ChannelReader<byte[]> reader)
    {
        lock (_lock)
        {
            _subscribers.RemoveAll(c => c.Reader == reader);
        }
    }

    /// <summary>Types into the console; dropped when the console is not connected.</summary>
    public async Task WriteAsync(ReadOnlyMemory<byte> input, CancellationToken cancellationToken)
    {
        var socket = _socket;
        if (socket is null)
        {
            return;
        }

        try
        {
            await socket.SendAsync(input, SocketFlags.None, cancellationToken);
        }
        catch (SocketException)
        {
            // The console went away; the read loop reconnects.
        }
        catch (ObjectDisposedException)
        {
            // Likewise.
        }
    }

    private async Task RunAsync()
    {
        var buffer = new byte[4096];
        while (!_stop.IsCancellationRequested)
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(_socketPath), _stop.Token);
                _socket = socket;
                int read;
                while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token)) > 0)
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
                break;
            }
            finally
            {
                _socket = null;
            }

            try
            {
                await Task.Delay(RetryInterval, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        lock (_lock)
        {
            foreach (var subscriber in _subscribers)
            {
                subscriber.Writer.TryComplete();
            }
        }
    }

    private void Publish(byte[] data)
    {
        lock (_lock)
        {
            foreach (var b in data)
            {
                _history[_historyLength++ % HistoryBytes] = b;
            }

            foreach (var subscriber in _subscribers)
            {
                subscriber.Writer.TryWrite(data);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}
