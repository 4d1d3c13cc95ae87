using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Domus.DeviceModels.Qmp;

/// <summary>
/// A QEMU Machine Protocol connection on a Unix socket: one JSON object a line, commands matched to their
/// answers by id, events delivered in order on <see cref="Events"/>. When the device model goes away the event channel
/// completes and pending commands fail.
/// </summary>
public sealed class QmpClient : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly StreamReader _reader;
    private readonly Stream _stream;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly ConcurrentDictionary<long, TaskCompletionSource<JsonNode?>> _pending = new();
    private readonly Channel<QmpEvent> _events = Channel.CreateUnbounded<QmpEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _readLoop;
    private long _nextId;

    private QmpClient(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: false);
        _reader = new StreamReader(_stream, Encoding.UTF8);
        _readLoop = Task.Run(ReadLoopAsync);
    }

    public ChannelReader<QmpEvent> Events => _events.Reader;

    /// <summary>Completes when the connection has ended.</summary>
    public Task Closed => _readLoop;

    public static async Task<QmpClient> ConnectAsync(string socketPath, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken);
            var stream = new NetworkStream(socket, ownsSocket: false);
            using var greetingReader = new StreamReader(stream, Encoding.UTF8, leaveOpen: true, bufferSize: 1);
            var greeting = await greetingReader.ReadLineAsync(cancellationToken);
            if (greeting is null || JsonNode.Parse(greeting)?["QMP"] is null)
            {
                throw new QmpException($"{socketPath} does not speak QMP");
            }
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var client = new QmpClient(socket);
        await client.ExecuteAsync("qmp_capabilities", null, cancellationToken);
        return client;
    }

    public async Task<JsonNode?> ExecuteAsync(string command, JsonObject? arguments, CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _nextId);
        var answer = new TaskCompletionSource<JsonNode?>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = answer;
        var request = new JsonObject { ["execute"] = command, ["id"] = id };
        if (arguments is not null)
        {
            request["arguments"] = arguments;
        }

        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            if (_readLoop.IsCompleted)
            {
                throw new QmpException("the QMP connection is closed");
            }

            await _stream.WriteAsync(Encoding.UTF8.GetBytes(request.ToJsonString() + "\n"), cancellationToken);
        }
        catch (IOException e)
        {
            _pending.TryRemove(id, out _);
            throw new QmpException($"QMP write failed: {e.Message}");
        }
        finally
        {
            _writeLock.Release();
        }

        using var registration = cancellationToken.Register(() => answer.TrySetCanceled(cancellationToken));
        return await answer.Task;
    }

    private async Task ReadLoopAsync()
    {
        try
        {
            while (await _reader.ReadLineAsync() is { } line)
            {
                if (JsonNode.Parse(line) is not JsonObject message)
                {
                    continue;
                }

                if (message["event"]?.GetValue<string>() is { } name)
                {
                    _events.Writer.TryWrite(new QmpEvent(name, message["data"] as JsonObject));
                }
                else if (message["id"]?.GetValue<long>() is { } id && _pending.TryRemove(id, out var answer))
                {
                    if (message["error"] is JsonObject error)
                    {
                        answer.TrySetException(new QmpException($"{error["class"]}: {error["desc"]}"));
                    }
                    else
                    {
                        answer.TrySetResult(message["return"]);
                    }
                }
            }
        }
        catch (Exception e) when (e is IOException or System.Text.Json.JsonException or ObjectDisposedException)
        {
            // The connection ended; the same as end of stream.
        }
        finally
        {
            _events.Writer.TryComplete();
            foreach (var pending in _pending.Values)
            {
                pending.TrySetException(new QmpException("the device model closed the QMP connection"));
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _socket.Dispose();
        await _readLoop;
        _reader.Dispose();
        _stream.Dispose();
        _writeLock.Dispose();
    }
}
