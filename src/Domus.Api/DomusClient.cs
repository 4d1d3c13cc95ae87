using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text.Json.Serialization.Metadata;

namespace Domus.Api;

/// <summary>The HTTP API of domusd, over its Unix socket: what the CLI, the tests and the web manager call.</summary>
public sealed class DomusClient : IDisposable
{
    private static readonly Uri BaseAddress = new("http://domusd/");
    private readonly SocketsHttpHandler _handler;
    private readonly HttpClient _http;

    public DomusClient(string socketPath)
    {
        SocketPath = socketPath;
        _handler = new SocketsHttpHandler
        {
            // A connection per request: cheap on a Unix socket, and never a stale one left by a domusd that died.
            PooledConnectionLifetime = TimeSpan.Zero,
            ConnectCallback = async (_, cancellationToken) =>
                new NetworkStream(await UnixSocket.ConnectAsync(socketPath, cancellationToken), ownsSocket: true),
        };
        _http = new HttpClient(_handler, disposeHandler: false) { BaseAddress = BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
    }

    public string SocketPath { get; }

    public Task<HostInfo> HostAsync(CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, "api/v1/host", null, ApiJsonContext.Default.HostInfo, cancellationToken);

    public Task<List<DomainSummary>> ListAsync(CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, "api/v1/domains", null, ApiJsonContext.Default.ListDomainSummary, cancellationToken);

    public Task<DomainDetail> GetAsync(string domain, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, $"api/v1/domains/{Uri.EscapeDataString(domain)}", null, ApiJsonContext.Default.DomainDetail, cancellationToken);

    public Task<DomainSummary> CreateAsync(CreateDomainRequest request, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, "api/v1/domains", JsonContent.Create(request, ApiJsonContext.Default.CreateDomainRequest), ApiJsonContext.Default.DomainSummary, cancellationToken);

    /// <summary>Runs an action (shutdown, reboot, destroy, pause, unpause) on a domain.</summary>
    public Task<DomainSummary> ActAsync(string domain, string action, string query = "", CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, $"api/v1/domains/{Uri.EscapeDataString(domain)}/{action}{query}", null, ApiJsonContext.Default.DomainSummary, cancellationToken);

    public Task<DomainSummary> RenameAsync(string domain, string newName, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, $"api/v1/domains/{Uri.EscapeDataString(domain)}/rename", JsonContent.Create(new RenameRequest(newName), ApiJsonContext.Default.RenameRequest), ApiJsonContext.Default.DomainSummary, cancellationToken);

    /// <summary>
    /// The domain's first serial port as a WebSocket of raw bytes in both directions; with
    /// <paramref name="history"/>, what the guest wrote recently comes first.
    /// </summary>
    public async Task<WebSocket> ConnectConsoleAsync(string domain, bool history = false, CancellationToken cancellationToken = default)
    {
        var socket = new ClientWebSocket();
        try
        {
            var uri = new Uri($"ws://domusd/api/v1/domains/{Uri.EscapeDataString(domain)}/console{(history ? "?history=1" : string.Empty)}");
            using var invoker = new HttpMessageInvoker(_handler, disposeHandler: false);
            await socket.ConnectAsync(uri, invoker, cancellationToken);
            return socket;
        }
        catch (WebSocketException e)
        {
            socket.Dispose();
            var status = socket.HttpStatusCode;
            throw status == HttpStatusCode.NotFound || status == HttpStatusCode.Conflict
                ? new DomusApiException(status, $"{domain}: no console to attach to ({e.Message})")
                : new DomusApiException(status, e.Message);
        }
        catch (HttpRequestException e) when (e.InnerException is SocketException)
        {
            socket.Dispose();
            throw new DaemonUnavailableException(SocketPath, e);
        }
    }

    private async Task<T> SendAsync<T>(HttpMethod method, string path, HttpContent? content, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e) when (e.InnerException is SocketException)
        {
            throw new DaemonUnavailableException(SocketPath, e);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                ApiError? error = null;
                try
                {
                    error = await response.Content.ReadFromJsonAsync(ApiJsonContext.Default.ApiError, cancellationToken);
                }
                catch (System.Text.Json.JsonException)
                {
                    // Not one of domusd's own answers.
                }

                throw new DomusApiException(response.StatusCode, error?.Error ?? $"domusd answered {(int)response.StatusCode} {response.ReasonPhrase}");
            }

            return await response.Content.ReadFromJsonAsync(type, cancellationToken)
                ?? throw new DomusApiException(response.StatusCode, "domusd sent an empty answer");
        }
    }

    public void Dispose()
    {
        _http.Dispose();
        _handler.Dispose();
    }
}
