using System.Diagnostics;
using Domus.Bench;
using System.Net.Sockets;
using Domus.DeviceModels.Qmp;

namespace Domus.Bench.Vmm;

/// <summary>
/// One device model process running the benchmark firmware: started paused, resumed over QMP, timed to the
/// guest's first output ("S" on the debug port) and from there to its last ("E"), its memory read in between.
/// </summary>
public sealed record GuestRun(TimeSpan Ready, TimeSpan FirstInstruction, TimeSpan Exits, long ResidentKib, long AnonymousKib)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    /// <summary>domus-dm says "ready" on its standard output once its control socket listens.</summary>
    public static async Task ReadyLine(Process process, string controlSocket)
    {
        var line = await process.StandardOutput.ReadLineAsync().WaitAsync(Timeout);
        if (line != "ready")
        {
            throw new InvalidOperationException($"domus-dm did not start: {line} {await process.StandardError.ReadToEndAsync()}");
        }
    }

    /// <summary>QEMU is ready when its control socket answers.</summary>
    public static async Task ControlSocketAnswers(Process process, string controlSocket)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                await probe.ConnectAsync(new UnixDomainSocketEndPoint(controlSocket));
                return;
            }
            catch (SocketException) when (!process.HasExited && DateTime.UtcNow < deadline)
            {
                await Task.Delay(1);
            }
        }
    }

    public static async Task<GuestRun> MeasureAsync(ProcessStartInfo start, Func<Process, string, Task> ready, string controlSocket, string debugLog)
    {
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} did not start");
        try
        {
            await ready(process, controlSocket);
            await using var qmp = await QmpClient.ConnectAsync(controlSocket, CancellationToken.None);
            var readyAt = watch.Elapsed;
            await qmp.ExecuteAsync("cont", null, CancellationToken.None);
            await WaitForAsync(debugLog, "S\n");
            var first = watch.Elapsed;
            await WaitForAsync(debugLog, "E\n");
            var exits = watch.Elapsed - first;
            var (resident, anonymous) = Memory(process.Id);
            return new GuestRun(readyAt, first, exits, resident, anonymous);
        }
        finally
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    private static Task WaitForAsync(string file, string text) => FileText.WaitForAsync(file, text, Timeout, TimeSpan.FromMilliseconds(1));

    /// <summary>VmRSS and RssAnon from /proc/PID/status, in KiB.</summary>
    private static (long Resident, long Anonymous) Memory(int pid)
    {
        var fields = File.ReadLines($"/proc/{pid}/status").Select(line => line.Split(':', 2)).Where(parts => parts.Length == 2)
            .ToDictionary(parts => parts[0], parts => parts[1].Trim());
        return (Kib(fields["VmRSS"]), Kib(fields["RssAnon"]));

        static long Kib(string value) => long.Parse(value.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
    }
}
