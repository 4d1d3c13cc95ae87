using Domus.Api;
using Domus.Daemon.Domains;
using Domus.Daemon.Images;
using Domus.Daemon.Tasks;

namespace Domus.Daemon.Api;

/// <summary>The disk images of the image directory: /api/v1/images.</summary>
public static class ImageEndpoints
{
    public static void MapImageApi(this WebApplication app)
    {
        var api = app.MapGroup("/api/v1/images");
        api.MapGet("", (ImageManager images) => images.List())
            .WithSummary("The images in the image directory: format, size, and the domains using each.");

        api.MapPost("", (CreateImageRequest request, HttpContext context, ImageManager images, TaskLog log) =>
        {
            var task = TaskRecording.Of(context);
            task.SetTarget(request.Name);
            var errors = new FieldErrors();
            var image = images.Check(request.Name, request.Format, request.Size, errors, ImageFields.Form);
            errors.ThrowIfAny();
            task.Detach();
            _ = MakeAsync(images, image!, task, log);
            return TypedResults.Accepted($"/api/v1/tasks/{task.Id}", task.Summary);
        }).Recorded("image.create")
            .WithSummary("Start making an empty raw or qcow2 image; 202 with the task making it (GET /api/v1/tasks/{id} follows it).");

        api.MapDelete("/{name}", (string name, ImageManager images) => images.Delete(name))
            .Recorded("image.delete")
            .WithSummary("Delete an image; refused while a domain's disk or CD-ROM is that image.");
    }

    /// <summary>The long part of making an image, after the request is answered; the task says how it ended.</summary>
    private static async Task MakeAsync(ImageManager images, NewImage image, TaskHandle task, TaskLog log)
    {
        try
        {
            await images.CreateAsync(image, CancellationToken.None);
            log.End(task, TaskLog.Done);
        }
        catch (DomainOperationException e)
        {
            log.End(task, e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log.End(task, $"failed: {e.Message}");
        }
    }
}
