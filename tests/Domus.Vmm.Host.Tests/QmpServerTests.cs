using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Domus.DeviceModels.Qmp;

namespace Domus.Vmm.Host.Tests;

/// <summary>domus-dm's QMP server against the QMP client domusd uses for QEMU and domus-dm alike.</summary>
public sealed class QmpServerTests : IAsyncDisposable
{
    private readonly string _socket = Path.Combine(Path.GetTempPath(), $"domus-qmp-{Guid.NewGuid():N}.sock");
    private readonly List<(string Command, JsonObject? Arguments)> _executed = [];
    private readonly QmpServer _server;

    public QmpServerTests() => _server = new QmpServer(_socket, Execute, TimeProvider.System);

    private JsonNode? Execute(string command, JsonObject? arguments)
    {
        lock (_executed)
        {
            _executed.Add((command, arguments));
        }

        return command switch
        {
            "qmp_capabilities" => null,
            "query-status" => new JsonObject { ["running"] = true, ["status"] = "running" },
            "fail" => throw new QmpCommandException("it failed on purpose"),
            _ => throw new QmpCommandException($"The command {command} has not been found", "CommandNotFound"),
        };
    }

    [Fact]
    public async Task CommandsAreAnsweredAndErrorsCarryTheirDescription()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var client = await QmpClient.ConnectAsync(_socket, ct);
        var status = await client.ExecuteAsync("query-status", null, ct);
        Assert.Equal("running", status?["status"]?.GetValue<string>());
        Assert.Contains("it failed on purpose", (await Assert.ThrowsAsync<QmpException>(() => client.ExecuteAsync("fail", null, ct))).Message, StringComparison.Ordinal);
        Assert.Contains("has not been found", (await Assert.ThrowsAsync<QmpException>(() => client.ExecuteAsync("nonsense", null, ct))).Message, StringComparison.Ordinal);
        await client.ExecuteAsync("query-status", new JsonObject { ["x"] = 1 }, ct);
        Assert.Equal(1, _executed.Last().Arguments?["x"]?.GetValue<int>());
    }

    [Fact]
    public async Task EventsReachEveryClient()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var first = await QmpClient.ConnectAsync(_socket, ct);
        await using var second = await QmpClient.ConnectAsync(_socket, ct);
        _server.Emit("SHUTDOWN", new JsonObject { ["guest"] = true, ["reason"] = "guest-shutdown" });
        foreach (var client in new[] { first, second })
        {
            var e = await client.Events.ReadAsync(ct).AsTask().WaitAsync(TimeSpan.FromSeconds(10), ct);
            Assert.Equal("SHUTDOWN", e.Name);
            Assert.Equal("guest-shutdown", e.Data?["reason"]?.GetValue<string>());
        }
    }

    [Fact]
    public async Task TheGreetingAndMalformedRequestsFollowQmp()
    {
        var ct = TestContext.Current.CancellationToken;
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(_socket), ct);
        using var stream = new NetworkStream(socket);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        using var writer = new StreamWriter(stream) { AutoFlush = true };
        var greeting = JsonNode.Parse((await reader.ReadLineAsync(ct))!);
        Assert.Equal("domus-dm", greeting?["QMP"]?["version"]?["package"]?.GetValue<string>());
        await writer.WriteLineAsync("{not json");
        Assert.Equal("GenericError", JsonNode.Parse((await reader.ReadLineAsync(ct))!)?["error"]?["class"]?.GetValue<string>());
        await writer.WriteLineAsync("""{"execute": "query-status", "id": "seven"}""");
        var reply = JsonNode.Parse((await reader.ReadLineAsync(ct))!);
        Assert.Equal("seven", reply?["id"]?.GetValue<string>());
        Assert.True(reply?["return"]?["running"]?.GetValue<bool>());
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        File.Delete(_socket);
    }
}
