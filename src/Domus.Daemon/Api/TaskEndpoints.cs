using Domus.Daemon.Tasks;

namespace Domus.Daemon.Api;

/// <summary>The task log: every changing request, who made it and how it ended: /api/v1/tasks.</summary>
public static class TaskEndpoints
{
    public static void MapTaskApi(this WebApplication app)
    {
        var api = app.MapGroup("/api/v1/tasks");
        api.MapGet("", (TaskLog log) => log.Recent())
            .WithSummary("The latest tasks, newest first, with who asked, how they ended, and the progress of those running.");

        api.MapGet("/{id:long}", (long id, TaskLog log) =>
            log.Find(id) is { } task ? TypedResults.Ok(task) : throw new Domains.DomainOperationException($"task {id}: no such task", System.Net.HttpStatusCode.NotFound))
            .WithSummary("One task, as it is now.");
    }
}
