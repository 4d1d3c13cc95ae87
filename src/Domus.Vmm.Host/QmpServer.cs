using Domus.Platform;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Domus.Vmm.Host;

/// <summary>
/// The QEMU Machine Protocol on a Unix socket, as QEMU serves it: a greeting, capability negotiation, then one
/// JSON command per line answered with <c>return</c> or <c>error</c> (with the client's <c>id</c>), and events
/// sent to every client. domusd drives domus-dm with the same client it uses for QEMU, and qmp-shell works too.
/// </summary>
public sealed class QmpServer : IAsyncDisposable
{
    private const string Greeting = """{"QMP": {"version": {"qemu": {"micro": 0, "minor": 0, "major": 1}, "package": "domus-dm"}, "capabilities": []}}""";
    private readonly Socket _listener;
    private readonly Func<string, JsonObject?, JsonNode?> _execute;
    private readonly TimeProvider _clock;
    private readonly Lock _lock = new();
    private readonly List<StreamWriter> _clients = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _acceptLoop;

    public QmpServer(string socketPath, Func<string, JsonObject?, JsonNode?> execute, TimeProvider clock)
    {
        _execute = execute;
        _clock = clock;
        _listener = OwnerOnlySocket.Listen(socketPath, backlog: 8);
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    /// <summary>Sends an event, with QEMU's timestamp, to every connected client.</summary>
    public void Emit(string name, JsonObject? data = null)
    {
        var now = _clock.GetUtcNow();
        var message = new JsonObject
        {
            ["event"] = name,
            ["data"] = data ?? [],
            ["timestamp"] = new JsonObject { ["seconds"] = now.ToUnixTimeSeconds(), ["microseconds"] = now.Millisecond * 1000 + now.Microsecond },
        };
        lock (_lock)
        {
            foreach (var client in _clients)
            {
                Send(client, message);
            }
        }
    }

    private static void Send(StreamWriter client, JsonNode message)
    {
        try
        {
            client.Write(message.ToJsonString() + "\r\n");
            client.Flush();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The client went away; its read loop removes it.
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (true)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptAsync(_stopping.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(socket));
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        using var stream = new NetworkStream(socket, ownsSocket: true);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var writer = new StreamWriter(stream, new UTF8Encoding(false));
        lock (_lock)
        {
            writer.Write(Greeting + "\r\n");
            writer.Flush();
            _clients.Add(writer);
        }

        try
        {
            while (await reader.ReadLineAsync(_stopping.Token) is { } line)
            {
                if (line.Trim().Length == 0)
                {
                    continue;
                }

                var reply = Answer(line);
                lock (_lock)
                {
                    Send(writer, reply);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
        }
        finally
        {
            lock (_lock)
            {
                _clients.Remove(writer);
            }
        }
    }

    private JsonObject Answer(string line)
    {
        JsonNode? id = null;
        try
        {
            var request = JsonNode.Parse(line) as JsonObject ?? throw new QmpCommandException("a QMP request is a JSON object");
            id = request["id"]?.DeepClone();
            var command = request["execute"]?.GetValue<string>() ?? throw new QmpCommandException("the request has no 'execute'");
            var result = _execute(command, request["arguments"] as JsonObject) ?? new JsonObject();
            return WithId(new JsonObject { ["return"] = result }, id);
        }
        catch (QmpCommandException e)
        {
            return WithId(new JsonObject { ["error"] = new JsonObject { ["class"] = e.ErrorClass, ["desc"] = e.Message } }, id);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return WithId(new JsonObject { ["error"] = new JsonObject { ["class"] = "GenericError", ["desc"] = $"bad request: {e.Message}" } }, id);
        }
    }

    private static JsonObject WithId(JsonObject reply, JsonNode? id)
    {
        if (id is not null)
        {
            reply["id"] = id;
        }

        return reply;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Dispose();
        await _acceptLoop;
        _stopping.Dispose();
    }
}
