using System.Diagnostics;
using Domus.Api;
using Domus.Config.Normalization;
using Domus.Platform;

namespace Domus.Cli.Commands;

/// <summary>
/// <c>vncviewer NAME|ID</c>: starts a VNC viewer on the domain's screen, as xm vncviewer did; where none can start
/// (no viewer installed, no X display), prints the address to give one.
/// </summary>
public sealed class VncViewerCommand : DomainCommand
{
    public override string Name => "vncviewer";

    public override string Summary => "Open a VNC viewer on the domain's screen, or print its address.";

    protected override async Task<int> ActAsync(CommandContext context, DomusClient client, ArgumentReader arguments, CancellationToken cancellationToken)
    {
        var detail = await client.GetAsync(arguments.Operands[0], cancellationToken);
        if (detail.Domain.VncPort is not { } port)
        {
            throw new CommandFailedException($"{detail.Domain.Name} has no VNC screen (vnc = 0, or it is not running)");
        }

        var host = VncListen.ConnectAddress(detail.Config.Vnc.Listen);

        // vncviewer's HOST::PORT names a port rather than a display number.
        var endpoint = $"{(host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host)}::{port}";
        var viewer = ProgramLocator.Find("vncviewer");
        if (viewer is null || string.IsNullOrEmpty(context.GetEnvironment("DISPLAY")))
        {
            context.Out.WriteLine(endpoint);
            context.Error.WriteLine($"domus vncviewer: no viewer started ({(viewer is null ? "vncviewer is not installed" : "no X display: DISPLAY is not set")}); point a VNC client at {endpoint}");
            return 0;
        }

        using var process = Process.Start(new ProcessStartInfo(viewer, [endpoint]) { UseShellExecute = false })!;
        await process.WaitForExitAsync(cancellationToken);
        return process.ExitCode;
    }
}
