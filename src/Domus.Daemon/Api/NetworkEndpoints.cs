using Domus.Api;
using Domus.Daemon.Networks;
using Domus.Daemon.Tasks;

namespace Domus.Daemon.Api;

/// <summary>The bridges domusd manages: /api/v1/networks.</summary>
public static class NetworkEndpoints
{
    public static void MapNetworkApi(this WebApplication app)
    {
        var api = app.MapGroup("/api/v1/networks");
        api.MapGet("", (NetworkManager networks, CancellationToken cancellationToken) => networks.ListAsync(cancellationToken))
            .WithSummary("Every bridge domusd manages, with its address, DHCP range, NAT and ports.");

        api.MapPost("", async (CreateNetworkRequest request, HttpContext context, NetworkManager networks, CancellationToken cancellationToken) =>
        {
            TaskRecording.Of(context).SetTarget(request.Name);
            var network = await networks.CreateAsync(request, cancellationToken);
            return TypedResults.Created($"/api/v1/networks/{network.Name}", network);
        }).Recorded("network.create").WithSummary("Create a bridge, optionally with an address, a DHCP server and NAT to the host's uplink.");

        api.MapDelete("/{name}", (string name, NetworkManager networks, CancellationToken cancellationToken) => networks.DeleteAsync(name, cancellationToken))
            .Recorded("network.delete")
            .WithSummary("Delete a bridge with its DHCP server and NAT rules; refused while domains' NICs are on it.");
    }
}
