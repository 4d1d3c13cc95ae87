using System.Diagnostics;
using Domus.Api;

namespace Domus.Bench;

/// <summary>A Domus instance of the benchmark's own (DOMUS_HOME in a temporary directory) and the domus program to drive it.</summary>
public sealed class BenchHost : IDisposable
{
    public BenchHost(string domus, string? daemon)
    {
        Domus = domus;
        Daemon = daemon;
        Home = Directory.CreateTempSubdirectory("domus-bench-").FullName;
        Locations = DomusLocations.Under(Home);
        Client = new DomusClient(Locations.DaemonSocket);
    }

    public string Domus { get; }

    public string? Daemon { get; }

    public string Home { get; }

    public DomusLocations Locations { get; }

    public DomusClient Client { get; }

    /// <summary>Runs domus with this instance's environment; returns its exit code and how long it took.</summary>
    public (int ExitCode, TimeSpan Elapsed, string Output) Run(params string[] arguments)
    {
        var startInfo = new ProcessStartInfo(Domus) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        startInfo.Environment[DomusLocations.HomeVariable] = Home;
        if (Daemon is not null)
        {
            startInfo.Environment["DOMUS_DAEMON"] = Daemon;
        }

        var watch = Stopwatch.StartNew();
        using var process = Process.Start(startInfo)!;
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, watch.Elapsed, output);
    }

    public void Dispose()
    {
        try
        {
            foreach (var domain in Client.ListAsync().GetAwaiter().GetResult())
            {
                Client.ActAsync(domain.Name, "destroy").GetAwaiter().GetResult();
            }
        }
        catch (DaemonUnavailableException)
        {
            // domusd never started or is gone: the processes below are all that is left.
        }

        foreach (var process in Process.GetProcesses())
        {
            try
            {
                if (File.ReadAllText($"/proc/{process.Id}/environ").Contains($"{DomusLocations.HomeVariable}={Home}\0", StringComparison.Ordinal))
                {
                    process.Kill();
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
            {
                // Gone, or not ours.
            }
        }

        Directory.Delete(Home, recursive: true);
    }
}
