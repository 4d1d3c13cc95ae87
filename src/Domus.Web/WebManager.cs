using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Domus.Web;

/// <summary>
/// The web manager: pages served by domusd at /, which speak to the same HTTP API as the command line. Every
/// page and script is embedded in this assembly; the pages may load nothing from elsewhere. (Inline styles are
/// allowed: the terminal sets its cell sizes in a style element; scripts come from domusd only.)
/// </summary>
public static class WebManager
{
    private const string Policy = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'";

    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.Ordinal)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".mjs"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
    };

    public static void MapWebManager(this WebApplication app)
    {
        var assembly = typeof(WebManager).Assembly;
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith("wwwroot/", StringComparison.Ordinal)))
        {
            var path = resource["wwwroot".Length..];
            var content = Read(assembly, resource);
            var type = ContentTypes.GetValueOrDefault(Path.GetExtension(path), "application/octet-stream");
            RequestDelegate serve = async context =>
            {
                context.Response.ContentType = type;
                context.Response.Headers.ContentSecurityPolicy = Policy;
                context.Response.Headers.XContentTypeOptions = "nosniff";
                context.Response.Headers.CacheControl = "no-cache";
                await context.Response.Body.WriteAsync(content);
            };
            app.MapGet(path, serve).ExcludeFromDescription();
            if (path == "/index.html")
            {
                app.MapGet("/", serve).ExcludeFromDescription();
            }
        }
    }

    private static byte[] Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
