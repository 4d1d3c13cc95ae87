using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace Domus.Daemon.Api;

/// <summary>
/// Requests over the Unix socket (guarded by its file mode) and from loopback need no credentials; any other
/// client must send <c>Authorization: Bearer TOKEN</c> with the token in the state directory's api-token file.
/// </summary>
public sealed class TokenAuthentication(string token)
{
    public static string LoadOrCreate(string path)
    {
        if (File.Exists(path))
        {
            return File.ReadAllText(path).Trim();
        }

        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        File.WriteAllText(path, token + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return token;
    }

    public async Task HandleAsync(HttpContext context, RequestDelegate next)
    {
        var remote = context.Connection.RemoteIpAddress;
        if (remote is null || IPAddress.IsLoopback(remote) || Presented(context))
        {
            await next(context);
            return;
        }

        context.Response.Headers.WWWAuthenticate = "Bearer";
        await ApiErrors.WriteAsync(context, StatusCodes.Status401Unauthorized, "this API needs a token from other hosts: send 'Authorization: Bearer TOKEN'");
    }

    private bool Presented(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        return header.StartsWith(scheme, StringComparison.Ordinal)
            && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header[scheme.Length..].Trim()), Encoding.UTF8.GetBytes(token));
    }
}
