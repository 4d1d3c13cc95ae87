using Domus.Api;

namespace Domus.Daemon.Api;

/// <summary>A browser on another host logs in with the API token and gets a session cookie: /api/v1/session.</summary>
public static class SessionEndpoints
{
    /// <summary>A wrong token costs this long, so that guessing is slow as well as hopeless.</summary>
    private static readonly TimeSpan FailureDelay = TimeSpan.FromMilliseconds(500);

    public static void MapSessionApi(this WebApplication app, TokenAuthentication authentication, BrowserSessions sessions)
    {
        app.MapPost(TokenAuthentication.SessionPath, async (LoginRequest request, HttpContext context) =>
        {
            if (!authentication.IsToken(request.Token ?? ""))
            {
                await Task.Delay(FailureDelay);
                return Results.Json(new ApiError("that is not this domusd's API token (its api-token file holds it)"), ApiJsonContext.Default.ApiError, statusCode: StatusCodes.Status401Unauthorized);
            }

            context.Response.Cookies.Append(BrowserSessions.Cookie, sessions.Start(), new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Strict,
                Secure = context.Request.IsHttps,
                Path = "/",
                MaxAge = BrowserSessions.Lifetime,
            });
            return Results.NoContent();
        }).WithSummary("Log a browser in with the API token: a session cookie for the web manager from other hosts.");

        app.MapDelete(TokenAuthentication.SessionPath, (HttpContext context) =>
        {
            sessions.End(context.Request.Cookies[BrowserSessions.Cookie]);
            context.Response.Cookies.Delete(BrowserSessions.Cookie, new CookieOptions { Path = "/" });
            return Results.NoContent();
        }).WithSummary("Log the browser out: its session ends.");
    }
}
