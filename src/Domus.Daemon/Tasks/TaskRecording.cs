using System.Net;
using Domus.Daemon.Api;
using Domus.Daemon.Domains;

namespace Domus.Daemon.Tasks;

/// <summary>
/// Records each request to an endpoint with a <see cref="TaskAction"/> in the task log: who made it, and how it
/// ended (done, or the sentence it was refused with). Handlers reach their task through <see cref="Of"/>.
/// </summary>
public static class TaskRecording
{
    public static async Task HandleAsync(HttpContext context, RequestDelegate next)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<TaskAction>() is not { } action)
        {
            await next(context);
            return;
        }

        var log = context.RequestServices.GetRequiredService<TaskLog>();
        var routeTarget = context.Request.RouteValues.TryGetValue("domain", out var domain) ? domain
            : context.Request.RouteValues.TryGetValue("name", out var name) ? name
            : null;
        var task = log.Begin(action.Name, routeTarget?.ToString() ?? string.Empty, TokenAuthentication.Peer(context));
        context.Features.Set(task);
        try
        {
            await next(context);
        }
        catch (Exception e)
        {
            log.End(task, e is DomainOperationException or InvalidFieldsException or BadHttpRequestException ? e.Message : $"failed: {e.Message}");
            throw;
        }

        if (!task.Detached)
        {
            log.End(task, task.Problem ?? (context.Response.StatusCode < 400 ? TaskLog.Done : $"refused ({(HttpStatusCode)context.Response.StatusCode})"));
        }
    }

    /// <summary>The task of the request being handled.</summary>
    public static TaskHandle Of(HttpContext context) =>
        context.Features.Get<TaskHandle>() ?? throw new InvalidOperationException($"{context.Request.Path} is not recorded as a task");

    /// <summary>Records requests to this endpoint as <paramref name="action"/>.</summary>
    public static TBuilder Recorded<TBuilder>(this TBuilder builder, string action) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new TaskAction(action));
}
