using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace Domus.Daemon.Api;

/// <summary>
/// Requests over the Unix socket (guarded by its file mode) and from loopback need no credentials; any other
/// client must send <c>Authorization: Bearer TOKEN</c> with the token in the state directory's api-token file, or
/// be a browser that logged in with that token (<see cref="BrowserSessions"/>). The web manager's pages themselves
/// are public: everything they show comes from the API. A browser is held to domusd's own pages: without a token,
/// a loopback request must name a loopback host (no DNS rebinding), and a changing request from a page (with a
/// session or from loopback) must come from domusd's own origin (no CSRF).
/// </summary>
public sealed class TokenAuthentication(string token, BrowserSessions sessions)
{
    /// <summary>Where a browser logs in (POST) and out (DELETE); logging in is open to all, as the token is the proof.</summary>
    public const string SessionPath = "/api/v1/session";
    private const string TokenShown = "domus.token-shown", SessionShown = "domus.session-shown";

    /// <summary>The token in <paramref name="path"/>; a new one when the file is missing or empty, written owner-only from the start.</summary>
    public static string LoadOrCreate(string path)
    {
        if (File.Exists(path) && File.ReadAllText(path).Trim() is { Length: > 0 } existing)
        {
            return existing;
        }

        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var fresh = $"{path}.{Environment.ProcessId}.new";
        using (var file = new FileStream(fresh, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite }))
        {
            file.Write(Encoding.ASCII.GetBytes(token + "\n"));
        }

        File.Move(fresh, path, overwrite: true);
        return token;
    }

    public async Task HandleAsync(HttpContext context, RequestDelegate next)
    {
        var remote = context.Connection.RemoteIpAddress;
        if (remote is not null && Presented(context))
        {
            context.Items[TokenShown] = true;
        }

        if (remote is null || context.Items.ContainsKey(TokenShown) || IsPublic(context.Request))
        {
            await next(context);
            return;
        }

        if (sessions.IsValid(context.Request.Cookies[BrowserSessions.Cookie]))
        {
            context.Items[SessionShown] = true;
            if (CrossSite(context.Request) is { } crossSite)
            {
                await ApiErrors.WriteAsync(context, StatusCodes.Status403Forbidden, crossSite);
                return;
            }

            await next(context);
            return;
        }

        if (IPAddress.IsLoopback(remote))
        {
            if (BrowserProblem(context.Request) is { } problem)
            {
                await ApiErrors.WriteAsync(context, StatusCodes.Status403Forbidden, problem);
                return;
            }

            await next(context);
            return;
        }

        context.Response.Headers.WWWAuthenticate = "Bearer";
        await ApiErrors.WriteAsync(context, StatusCodes.Status401Unauthorized, "this API needs a token from other hosts: send 'Authorization: Bearer TOKEN', or log in with it");
    }

    /// <summary>
    /// A page of the web manager (a plain GET or HEAD outside the API; routes match without regard to case, so neither
    /// does this) or the login itself. Everything else, WebSockets included, needs credentials.
    /// </summary>
    private static bool IsPublic(HttpRequest request)
    {
        var path = request.Path;
        if (path.Equals(SessionPath, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)) && request.Headers.Upgrade.Count == 0
            && !path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase) && !path.StartsWithSegments("/openapi", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Whether <paramref name="presented"/> is the API token, compared in constant time.</summary>
    public bool IsToken(string presented) => CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented.Trim()), Encoding.UTF8.GetBytes(token));

    /// <summary>Who made a request, for the task log: the Unix socket's user, or a TCP peer and whether it showed the token.</summary>
    public static string Peer(HttpContext context) => context.Connection.RemoteIpAddress switch
    {
        null => "local socket",
        { } address when context.Items.ContainsKey(TokenShown) => $"{Address(address)} with the API token",
        { } address when context.Items.ContainsKey(SessionShown) => $"{Address(address)} in a browser logged in with the API token",
        { } address => Address(address),
    };

    private static string Address(IPAddress address) => (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();

    private static string? BrowserProblem(HttpRequest request)
    {
        var host = request.Host.Host;
        if (host != "localhost" && !(IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address)))
        {
            return $"host '{host}' is not this machine's loopback name; other names need a token";
        }

        return CrossSite(request);
    }

    private static string? CrossSite(HttpRequest request)
    {
        var origin = request.Headers.Origin.ToString();
        // A WebSocket (the consoles) is opened with a GET, and can type into a guest: it counts as changing.
        var changes = (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method)) || request.Headers.Upgrade.Count > 0;
        return changes && origin.Length > 0 && origin != $"{request.Scheme}://{request.Host}"
            ? $"a page from {origin} may not act on domusd"
            : null;
    }

    private bool Presented(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        return header.StartsWith(scheme, StringComparison.Ordinal) && IsToken(header[scheme.Length..]);
    }
}
