using Domus.Api;
using Domus.Daemon.Configs;
using Domus.Daemon.Tasks;

namespace Domus.Daemon.Api;

/// <summary>The configuration files of the managed directory, and the new-domain wizard that writes them: /api/v1/configs.</summary>
public static class ConfigEndpoints
{
    public static void MapConfigApi(this WebApplication app)
    {
        var api = app.MapGroup("/api/v1/configs");
        api.MapGet("", (ConfigManager configs) => configs.List())
            .WithSummary("The configuration files of the managed directory, each with the problems domus create -n finds.");

        api.MapPost("", async (NewDomainRequest request, HttpContext context, ConfigManager configs, CancellationToken cancellationToken) =>
        {
            var result = await configs.CreateAsync(request, TaskRecording.Of(context), cancellationToken);
            return TypedResults.Created($"/api/v1/configs/{result.Name}", result);
        }).Recorded("config.create")
            .WithSummary("The new-domain wizard: check every field (errors under each field's name), write NAME.cfg, and with start create the domain.");

        api.MapPost("/{name}/start", async (string name, ConfigManager configs, CancellationToken cancellationToken) =>
        {
            var domain = await configs.StartAsync(name, cancellationToken);
            return TypedResults.Created($"/api/v1/domains/{domain.Id}", domain);
        }).Recorded("config.start")
            .WithSummary("Create the domain of the file NAME.cfg in the managed directory (domus create NAME).");
    }
}
