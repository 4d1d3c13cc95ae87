using System.Diagnostics;
using Domus.Api;

namespace Domus.Cli;

/// <summary>
/// Reaches domusd, starting it when nothing answers on its socket, as xm started xend: detached in its own
/// session (setsid), logging to its state directory. <c>DOMUS_DAEMON</c> names another domusd program.
/// </summary>
public static class DaemonConnection
{
    public const string DaemonVariable = "DOMUS_DAEMON";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    /// <summary>A client for this instance's domusd; the first request starts domusd if nothing answers.</summary>
    public static DomusClient ClientFor(CommandContext context) =>
        new(context.Locations.DaemonSocket, cancellationToken => StartAndWaitAsync(context, cancellationToken));

    private static async Task StartAndWaitAsync(CommandContext context, CancellationToken cancellationToken)
    {
        Start(context);
        var deadline = DateTime.UtcNow + StartTimeout;
        while (!await UnixSocket.AnswersAsync(context.Locations.DaemonSocket, cancellationToken))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new CommandFailedException($"domusd did not start within {StartTimeout.TotalSeconds} s (see {context.Locations.DaemonLog})");
            }

            await Task.Delay(50, cancellationToken);
        }
    }

    private static void Start(CommandContext context)
    {
        var locations = context.Locations;
        try
        {
            Directory.CreateDirectory(locations.StateDirectory);
            Directory.CreateDirectory(locations.RuntimeDirectory);
            using (File.Open(locations.DaemonLog, FileMode.Append, FileAccess.Write))
            {
                // domusd must be able to write its log and state here.
            }
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new CommandFailedException($"domusd cannot be started here: {e.Message} (run as root, or set {DomusLocations.HomeVariable} to a directory of yours)");
        }

        var daemon = context.GetEnvironment(DaemonVariable) is { Length: > 0 } configured ? configured : DefaultDaemon();
        var startInfo = new ProcessStartInfo("setsid")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add("-f");
        if (daemon.EndsWith(".dll", StringComparison.Ordinal))
        {
            startInfo.ArgumentList.Add("dotnet");
        }

        startInfo.ArgumentList.Add(daemon);
        startInfo.ArgumentList.Add("--background");
        if (context.GetEnvironment(DomusLocations.HomeVariable) is { } home)
        {
            startInfo.Environment[DomusLocations.HomeVariable] = home;
        }

        try
        {
            using var process = Process.Start(startInfo)!;
            process.StandardInput.Close();
            process.WaitForExit();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new CommandFailedException($"cannot start domusd ({daemon}): {e.Message}");
        }
    }

    /// <summary>domusd installed beside this program, as scripts/install.sh puts them.</summary>
    private static string DefaultDaemon()
    {
        var beside = Path.Combine(AppContext.BaseDirectory, "domusd");
        if (File.Exists(beside))
        {
            return beside;
        }

        var library = Path.Combine(AppContext.BaseDirectory, "domusd.dll");
        return File.Exists(library) ? library : "domusd";
    }
}
