using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Domus.Api;

/// <summary>
/// The HTTP API of domusd, over its Unix socket: what the CLI, the tests and the web manager call. Every
/// request has a connection of its own, so the client holds nothing open and needs no disposing.
/// </summary>
public sealed class DomusClient(string socketPath, Func<CancellationToken, Task>? startDaemon = null)
{
    public string SocketPath { get; } = socketPath;

    public Task<HostInfo> HostAsync(CancellationToken cancellationToken = default) =>
        SendAsync("GET", "/api/v1/host", null, ApiJsonContext.Default.HostInfo, cancellationToken);

    public Task<List<DomainSummary>> ListAsync(CancellationToken cancellationToken = default) =>
        SendAsync("GET", "/api/v1/domains", null, ApiJsonContext.Default.ListDomainSummary, cancellationToken);

    public Task<DomainDetail> GetAsync(string domain, CancellationToken cancellationToken = default) =>
        SendAsync("GET", $"/api/v1/domains/{Uri.EscapeDataString(domain)}", null, ApiJsonContext.Default.DomainDetail, cancellationToken);

    public Task<DomainSummary> CreateAsync(CreateDomainRequest request, CancellationToken cancellationToken = default) =>
        SendAsync("POST", "/api/v1/domains", JsonSerializer.SerializeToUtf8Bytes(request, ApiJsonContext.Default.CreateDomainRequest), ApiJsonContext.Default.DomainSummary, cancellationToken);

    /// <summary>Runs an action (shutdown, reboot, destroy, pause, unpause) on a domain.</summary>
    public Task<DomainSummary> ActAsync(string domain, string action, string query = "", CancellationToken cancellationToken = default) =>
        SendAsync("POST", $"/api/v1/domains/{Uri.EscapeDataString(domain)}/{action}{query}", [], ApiJsonContext.Default.DomainSummary, cancellationToken);

    public Task<DomainSummary> RenameAsync(string domain, string newName, CancellationToken cancellationToken = default) =>
        SendAsync("POST", $"/api/v1/domains/{Uri.EscapeDataString(domain)}/rename", JsonSerializer.SerializeToUtf8Bytes(new RenameRequest(newName), ApiJsonContext.Default.RenameRequest), ApiJsonContext.Default.DomainSummary, cancellationToken);

    public Task<List<NetworkSummary>> NetworksAsync(CancellationToken cancellationToken = default) =>
        SendAsync("GET", "/api/v1/networks", null, ApiJsonContext.Default.ListNetworkSummary, cancellationToken);

    public Task<NetworkSummary> CreateNetworkAsync(CreateNetworkRequest request, CancellationToken cancellationToken = default) =>
        SendAsync("POST", "/api/v1/networks", JsonSerializer.SerializeToUtf8Bytes(request, ApiJsonContext.Default.CreateNetworkRequest), ApiJsonContext.Default.NetworkSummary, cancellationToken);

    public Task<NetworkSummary> DeleteNetworkAsync(string name, CancellationToken cancellationToken = default) =>
        SendAsync("DELETE", $"/api/v1/networks/{Uri.EscapeDataString(name)}", [], ApiJsonContext.Default.NetworkSummary, cancellationToken);

    public Task<List<VifSummary>> VifsAsync(string domain, CancellationToken cancellationToken = default) =>
        SendAsync("GET", $"/api/v1/domains/{Uri.EscapeDataString(domain)}/vifs", null, ApiJsonContext.Default.ListVifSummary, cancellationToken);

    public Task<VifSummary> AttachVifAsync(string domain, string spec, CancellationToken cancellationToken = default) =>
        SendAsync("POST", $"/api/v1/domains/{Uri.EscapeDataString(domain)}/vifs", JsonSerializer.SerializeToUtf8Bytes(new AttachVifRequest(spec), ApiJsonContext.Default.AttachVifRequest), ApiJsonContext.Default.VifSummary, cancellationToken);

    /// <summary>Unplugs a domain's network card, named by its index or its MAC.</summary>
    public Task<VifSummary> DetachVifAsync(string domain, string vif, CancellationToken cancellationToken = default) =>
        SendAsync("DELETE", $"/api/v1/domains/{Uri.EscapeDataString(domain)}/vifs/{Uri.EscapeDataString(vif)}", [], ApiJsonContext.Default.VifSummary, cancellationToken);

    public Task<List<ImageSummary>> ImagesAsync(CancellationToken cancellationToken = default) =>
        SendAsync("GET", "/api/v1/images", null, ApiJsonContext.Default.ListImageSummary, cancellationToken);

    /// <summary>Starts making an image; the answer is the task that makes it (see <see cref="TaskAsync"/>).</summary>
    public Task<TaskSummary> CreateImageAsync(CreateImageRequest request, CancellationToken cancellationToken = default) =>
        SendAsync("POST", "/api/v1/images", JsonSerializer.SerializeToUtf8Bytes(request, ApiJsonContext.Default.CreateImageRequest), ApiJsonContext.Default.TaskSummary, cancellationToken);

    public Task<ImageSummary> DeleteImageAsync(string name, CancellationToken cancellationToken = default) =>
        SendAsync("DELETE", $"/api/v1/images/{Uri.EscapeDataString(name)}", [], ApiJsonContext.Default.ImageSummary, cancellationToken);

    public Task<List<TaskSummary>> TasksAsync(CancellationToken cancellationToken = default) =>
        SendAsync("GET", "/api/v1/tasks", null, ApiJsonContext.Default.ListTaskSummary, cancellationToken);

    public Task<TaskSummary> TaskAsync(long id, CancellationToken cancellationToken = default) =>
        SendAsync("GET", $"/api/v1/tasks/{id}", null, ApiJsonContext.Default.TaskSummary, cancellationToken);

    public Task<List<ConfigSummary>> ConfigsAsync(CancellationToken cancellationToken = default) =>
        SendAsync("GET", "/api/v1/configs", null, ApiJsonContext.Default.ListConfigSummary, cancellationToken);

    /// <summary>The new-domain wizard's request: writes NAME.cfg, and starts the domain when asked.</summary>
    public Task<NewDomainResult> CreateConfigAsync(NewDomainRequest request, CancellationToken cancellationToken = default) =>
        SendAsync("POST", "/api/v1/configs", JsonSerializer.SerializeToUtf8Bytes(request, ApiJsonContext.Default.NewDomainRequest), ApiJsonContext.Default.NewDomainResult, cancellationToken);

    /// <summary>Creates the domain of NAME.cfg in the managed directory.</summary>
    public Task<DomainSummary> StartConfigAsync(string name, CancellationToken cancellationToken = default) =>
        SendAsync("POST", $"/api/v1/configs/{Uri.EscapeDataString(name)}/start", [], ApiJsonContext.Default.DomainSummary, cancellationToken);

    /// <summary>
    /// The domain's first serial port as a WebSocket of raw bytes in both directions; with
    /// <paramref name="history"/>, what the guest wrote recently comes first.
    /// </summary>
    public async Task<WebSocket> ConnectConsoleAsync(string domain, bool history = false, CancellationToken cancellationToken = default)
    {
        var path = $"/api/v1/domains/{Uri.EscapeDataString(domain)}/console{(history ? "?history=1" : string.Empty)}";
        WebSocket? socket;
        int status;
        byte[] body;
        try
        {
            (socket, status, body) = await WithDaemonAsync(() => UnixHttp.UpgradeAsync(SocketPath, path, cancellationToken), cancellationToken);
        }
        catch (Exception e) when (e is SocketException or IOException)
        {
            throw new DaemonUnavailableException(SocketPath, e);
        }

        return socket ?? throw Refusal(status, body);
    }

    /// <summary>The domain's screen as it is now, a PNG image.</summary>
    public Task<byte[]> ScreenshotAsync(string domain, CancellationToken cancellationToken = default) =>
        SendAsync("GET", $"/api/v1/domains/{Uri.EscapeDataString(domain)}/screenshot", null, cancellationToken);

    private async Task<T> SendAsync<T>(string method, string path, byte[]? body, JsonTypeInfo<T> type, CancellationToken cancellationToken) =>
        JsonSerializer.Deserialize(await SendAsync(method, path, body, cancellationToken), type) ?? throw new DomusApiException(HttpStatusCode.OK, "domusd sent an empty answer");

    /// <summary>One exchange; the answer's body when domusd says yes, its refusal as an exception otherwise.</summary>
    private async Task<byte[]> SendAsync(string method, string path, byte[]? body, CancellationToken cancellationToken)
    {
        int status;
        byte[] response;
        try
        {
            (status, response) = await WithDaemonAsync(() => UnixHttp.SendAsync(SocketPath, method, path, body, cancellationToken), cancellationToken);
        }
        catch (Exception e) when (e is SocketException or IOException)
        {
            throw new DaemonUnavailableException(SocketPath, e);
        }

        return status is < 200 or > 299 ? throw Refusal(status, response) : response;
    }

    /// <summary>
    /// Runs an exchange; when nothing listens on the socket and the client may start domusd, starts it and
    /// tries once more. A socket of another user is an <see cref="UnauthorizedAccessException"/>.
    /// </summary>
    private async Task<T> WithDaemonAsync<T>(Func<Task<T>> exchange, CancellationToken cancellationToken)
    {
        try
        {
            return await exchange();
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AccessDenied)
        {
            throw new UnauthorizedAccessException($"permission denied on {SocketPath}", e);
        }
        catch (SocketException e) when (startDaemon is not null && e.SocketErrorCode is SocketError.ConnectionRefused or SocketError.AddressNotAvailable)
        {
            await startDaemon(cancellationToken);
            return await exchange();
        }
    }

    private static DomusApiException Refusal(int status, byte[] body)
    {
        ApiError? error = null;
        try
        {
            error = body.Length > 0 ? JsonSerializer.Deserialize(body, ApiJsonContext.Default.ApiError) : null;
        }
        catch (JsonException)
        {
            // Not one of domusd's own answers.
        }

        return new DomusApiException((HttpStatusCode)status, error?.Error ?? $"domusd answered {status}", error?.Errors);
    }
}
