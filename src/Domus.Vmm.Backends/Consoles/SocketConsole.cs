using Domus.Platform;
using System.Net.Sockets;

namespace Domus.Vmm.Backends.Consoles;

/// <summary>
/// The far end of a serial port, as QEMU's <c>-chardev socket,server=on,wait=off,logfile=…</c> offers it: a Unix
/// socket that one client at a time attaches to (domusd's console relay), and a log that keeps everything the
/// guest wrote. The guest's output is buffered and written by a background task, so a slow or absent client
/// never stalls a vCPU; output while nobody is attached goes to the log only. What the client types goes to
/// <paramref name="input"/>.
/// </summary>
public sealed class SocketConsole : IAsyncDisposable
{
    private const int MaxPending = 1 << 20;
    private readonly Action<byte[]> _input;
    private readonly Socket _listener;
    private readonly FileStream _log;
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _outputReady = new(0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _acceptLoop;
    private readonly Task _outputLoop;
    private List<byte> _pending = [];
    private Socket? _client;

    public SocketConsole(string socketPath, string logPath, Action<byte[]> input)
    {
        _input = input;
        _log = new FileStream(logPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
        _listener = OwnerOnlySocket.Listen(socketPath, backlog: 1);
        _acceptLoop = Task.Run(AcceptLoopAsync);
        _outputLoop = Task.Run(OutputLoopAsync);
    }

    /// <summary>A byte from the guest; never blocks. Beyond 1 MiB unwritten, output is dropped.</summary>
    public void Write(byte value)
    {
        lock (_lock)
        {
            if (_pending.Count < MaxPending)
            {
                _pending.Add(value);
            }
        }

        if (_outputReady.CurrentCount == 0)
        {
            _outputReady.Release();
        }
    }

    /// <summary>Writes what the guest wrote until disposal, and once more after it, so that nothing written is lost.</summary>
    private async Task OutputLoopAsync()
    {
        var last = false;
        while (!last)
        {
            last = _stopping.IsCancellationRequested;
            try
            {
                await _outputReady.WaitAsync(_stopping.Token);
            }
            catch (OperationCanceledException)
            {
            }

            List<byte> batch;
            lock (_lock)
            {
                (batch, _pending) = (_pending, []);
            }

            if (batch.Count == 0)
            {
                continue;
            }

            var bytes = batch.ToArray();
            await _log.WriteAsync(bytes);
            await _log.FlushAsync();
            if (Volatile.Read(ref _client) is { } client)
            {
                try
                {
                    await client.SendAsync(bytes, SocketFlags.None);
                }
                catch (SocketException)
                {
                    Detach(client);
                }
            }
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(_stopping.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            if (Interlocked.CompareExchange(ref _client, client, null) is not null)
            {
                client.Dispose(); // one console at a time, as QEMU's server socket
                continue;
            }

            _ = Task.Run(() => ReadLoopAsync(client));
        }
    }

    private async Task ReadLoopAsync(Socket client)
    {
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                var read = await client.ReceiveAsync(buffer, SocketFlags.None, _stopping.Token);
                if (read == 0)
                {
                    break;
                }

                _input(buffer[..read]);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        Detach(client);
    }

    private void Detach(Socket client)
    {
        Interlocked.CompareExchange(ref _client, null, client);
        client.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Dispose();
        await _acceptLoop;
        await _outputLoop;
        if (Interlocked.Exchange(ref _client, null) is { } client)
        {
            client.Dispose();
        }

        await _log.DisposeAsync();
        _outputReady.Dispose();
        _stopping.Dispose();
    }
}
