using Domus.Api;
using Domus.Daemon.Domains;
using Domus.Daemon.Tasks;

namespace Domus.Daemon.Api;

/// <summary>The HTTP API of domusd, version 1 (described at /openapi/v1.json).</summary>
public static class DomusEndpoints
{
    public static void MapDomusApi(this WebApplication app)
    {
        var api = app.MapGroup("/api/v1");
        api.MapGet("/host", async (DomainManager manager, DomainViews views, CancellationToken cancellationToken) =>
            await views.HostAsync(manager.Domains.Count, cancellationToken))
            .WithSummary("The host: CPUs, memory, the accelerator and why.");

        api.MapGet("/domains", (DomainManager manager, DomainViews views) => manager.Domains.Select(views.Summary).ToList())
            .WithSummary("Every domain, as domus list shows them.");

        api.MapPost("/domains", async (CreateDomainRequest request, HttpContext context, DomainManager manager, DomainViews views, CancellationToken cancellationToken) =>
        {
            TaskRecording.Of(context).SetTarget(request.Config.Name);
            var domain = await manager.CreateAsync(request, cancellationToken);
            return TypedResults.Created($"/api/v1/domains/{domain.Id}", views.Summary(domain));
        }).Recorded("domain.create").WithSummary("Create and start a domain from a normalized configuration (domus create).");

        api.MapGet("/domains/{domain}", (string domain, DomainManager manager, DomainViews views) =>
        {
            var target = manager.Find(domain);
            return new DomainDetail(views.Summary(target), target.Record.Config);
        }).WithSummary("One domain, by name or id, with its configuration.");

        MapAction(api, "shutdown", "Press the ACPI power button; ?wait=true returns once the guest has shut down.",
            (manager, target, request, cancellationToken) => manager.ShutdownAsync(target, request.Query["wait"] == "true", cancellationToken));
        MapAction(api, "reboot", "Ask the guest to reboot (Ctrl-Alt-Del); ?force=true resets the machine.",
            (manager, target, request, cancellationToken) => manager.RebootAsync(target, request.Query["force"] == "true", cancellationToken));
        MapAction(api, "destroy", "End the domain at once, as pulling the plug.",
            (manager, target, _, cancellationToken) => manager.DestroyAsync(target, cancellationToken));
        MapAction(api, "pause", "Stop the domain's vCPUs; its memory stays.",
            (manager, target, _, cancellationToken) => manager.PauseAsync(target, cancellationToken));
        MapAction(api, "unpause", "Let a paused domain's vCPUs run again.",
            (manager, target, _, cancellationToken) => manager.UnpauseAsync(target, cancellationToken));

        api.MapPost("/domains/{domain}/rename", async (string domain, RenameRequest request, DomainManager manager, DomainViews views, CancellationToken cancellationToken) =>
        {
            var target = manager.Find(domain);
            await manager.RenameAsync(target, request.Name, cancellationToken);
            return views.Summary(target);
        }).Recorded("domain.rename").WithSummary("Give a domain another name.");

        api.MapGet("/domains/{domain}/config", (string domain, DomainManager manager, DomusLocations locations) => DomainViews.ConfigFile(manager.Find(domain), locations.ConfigDirectory))
            .WithSummary("The domain's configuration file as it is now, with the problems loading it reports.");
        api.MapGet("/domains/{domain}/stats", (string domain, DomainManager manager, DomainStatistics statistics) => statistics.For(manager.Find(domain)))
            .WithSummary("The domain's CPU share and resident memory, one reading every two seconds over the last ten minutes.");

        api.MapGet("/domains/{domain}/vifs", (string domain, DomainManager manager) => DomainViews.Vifs(manager.Find(domain)))
            .WithSummary("The domain's network cards, with the taps they are on (domus network-list).");

        api.MapPost("/domains/{domain}/vifs", async (string domain, AttachVifRequest request, DomainManager manager, CancellationToken cancellationToken) =>
        {
            var vif = await manager.AttachVifAsync(manager.Find(domain), request.Spec, cancellationToken);
            return TypedResults.Created($"/api/v1/domains/{domain}/vifs/{vif.Index}", vif);
        }).Recorded("domain.network-attach").WithSummary("Plug a network card (a vif spec) into a running domain (domus network-attach).");

        api.MapDelete("/domains/{domain}/vifs/{vif}", (string domain, string vif, DomainManager manager, CancellationToken cancellationToken) =>
            manager.DetachVifAsync(manager.Find(domain), vif, cancellationToken))
            .Recorded("domain.network-detach")
            .WithSummary("Unplug a network card, by index or MAC, once the guest lets go of it (domus network-detach).");

        api.MapGet("/domains/{domain}/screenshot", async (string domain, DomainManager manager, CancellationToken cancellationToken) =>
            TypedResults.File(await manager.ScreenshotAsync(manager.Find(domain), cancellationToken), "image/png"))
            .WithSummary("The guest's screen now, as a PNG image (domus screenshot).");

        api.Map("/domains/{domain}/screen", ScreenEndpoint.HandleAsync)
            .WithSummary("The domain's VNC server as a WebSocket of RFB bytes (the web manager's graphical console).");

        api.Map("/domains/{domain}/console", ConsoleEndpoint.HandleAsync)
            .WithSummary("The first serial port as a WebSocket of raw bytes; ?history=1 replays recent output first.");
    }

    private static void MapAction(RouteGroupBuilder api, string action, string summary, Func<DomainManager, Domain, HttpRequest, CancellationToken, Task> run) =>
        api.MapPost($"/domains/{{domain}}/{action}", async (string domain, HttpRequest request, DomainManager manager, DomainViews views, CancellationToken cancellationToken) =>
        {
            var target = manager.Find(domain);
            await run(manager, target, request, cancellationToken);
            return views.Summary(target);
        }).Recorded($"domain.{action}").WithSummary(summary);
}
