using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;

namespace Domus.Cli.Tests.EndToEnd;

/// <summary>domusd on TCP: loopback is trusted, other hosts need the token; the OpenAPI document describes it.</summary>
[Collection(EndToEndGroup.Name)]
public sealed class ApiAccessTests
{
    [Fact]
    public async Task OtherHostsNeedTheTokenAndLoopbackDoesNot()
    {
        var address = EndToEndEnvironment.NonLoopbackAddress();

        await using var domus = new DomusInstance();
        var port = EndToEndEnvironment.FreePort();
        using var daemon = Process.Start(new ProcessStartInfo("dotnet", [EndToEndEnvironment.Daemon, "--listen", $"0.0.0.0:{port}"])
        {
            Environment = { ["DOMUS_HOME"] = domus.Home },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            var loopback = await WaitForAsync(http, $"http://127.0.0.1:{port}/api/v1/domains");
            Assert.Equal(HttpStatusCode.OK, loopback.StatusCode);

            var remote = await http.GetAsync(new Uri($"http://{address}:{port}/api/v1/domains"));
            Assert.Equal(HttpStatusCode.Unauthorized, remote.StatusCode);

            // Routes match without regard to case, and so does the check: /API is the API too.
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync(new Uri($"http://{address}:{port}/API/v1/domains"))).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.PostAsync(new Uri($"http://{address}:{port}/Api/V1/domains/none/destroy"), null)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri($"http://{address}:{port}/"))).StatusCode);
            Assert.Contains("needs a token", await remote.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            var token = (await File.ReadAllTextAsync(domus.Locations.ApiTokenFile)).Trim();
            using var wrong = new HttpRequestMessage(HttpMethod.Get, new Uri($"http://{address}:{port}/api/v1/domains"));
            wrong.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token + "x");
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(wrong)).StatusCode);
            using var right = new HttpRequestMessage(HttpMethod.Get, new Uri($"http://{address}:{port}/api/v1/domains"));
            right.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(right)).StatusCode);
            using var changing = new HttpRequestMessage(HttpMethod.Post, new Uri($"http://{address}:{port}/api/v1/domains/none/pause"));
            changing.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            Assert.Equal(HttpStatusCode.NotFound, (await http.SendAsync(changing)).StatusCode);
            var logged = (await domus.Client.TasksAsync())[0];
            Assert.Equal(("domain.pause", "none", $"{address} with the API token", "none: no such domain"), (logged.Action, logged.Target, logged.Who, logged.Outcome));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(domus.Locations.ApiTokenFile));

            // A browser on this host: a rebound name, or a changing request from another site's page, is refused.
            using var rebound = new HttpRequestMessage(HttpMethod.Get, new Uri($"http://127.0.0.1:{port}/api/v1/domains"));
            rebound.Headers.Host = $"attacker.example:{port}";
            Assert.Equal(HttpStatusCode.Forbidden, (await http.SendAsync(rebound)).StatusCode);
            using var crossSite = new HttpRequestMessage(HttpMethod.Post, new Uri($"http://127.0.0.1:{port}/api/v1/domains/none/destroy"));
            crossSite.Headers.Add("Origin", "http://attacker.example");
            var refused = await http.SendAsync(crossSite);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Contains("may not act on domusd", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            using var sameSite = new HttpRequestMessage(HttpMethod.Post, new Uri($"http://127.0.0.1:{port}/api/v1/domains/none/destroy"));
            sameSite.Headers.Add("Origin", $"http://127.0.0.1:{port}");
            Assert.Equal(HttpStatusCode.NotFound, (await http.SendAsync(sameSite)).StatusCode);
        }
        finally
        {
            daemon.Kill();
            await daemon.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task TheOpenApiDocumentDescribesEveryCall()
    {
        await using var domus = new DomusInstance();
        Assert.Equal(0, domus.Domus("list").ExitCode);
        using var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, ct) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(domus.Locations.DaemonSocket), ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        using var http = new HttpClient(handler);
        using var document = JsonDocument.Parse(await http.GetStringAsync(new Uri("http://domusd/openapi/v1.json")));
        var paths = document.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToHashSet();
        string[] expected =
        [
            "/api/v1/host", "/api/v1/domains", "/api/v1/domains/{domain}", "/api/v1/domains/{domain}/shutdown",
            "/api/v1/domains/{domain}/reboot", "/api/v1/domains/{domain}/destroy", "/api/v1/domains/{domain}/pause",
            "/api/v1/domains/{domain}/unpause", "/api/v1/domains/{domain}/rename", "/api/v1/images", "/api/v1/images/{name}",
            "/api/v1/configs", "/api/v1/configs/{name}/start", "/api/v1/tasks", "/api/v1/tasks/{id}",
        ];
        Assert.Empty(expected.Except(paths));
    }

    private static async Task<HttpResponseMessage> WaitForAsync(HttpClient http, string url)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            try
            {
                return await http.GetAsync(new Uri(url));
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }
}
