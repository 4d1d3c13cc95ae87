using Domus.Api;
using Domus.Platform;

namespace Domus.Daemon.Domains;

/// <summary>
/// The figures behind the web manager's graphs: every two seconds, each running or paused domain's vCPU time, as a
/// share of one host CPU since the reading before, and its device model's resident memory; the last ten minutes kept
/// per domain. A domain's first reading (or the first after its device model changed) only sets the baseline.
/// </summary>
public sealed class DomainStatistics(DomainManager manager, TimeProvider time) : IAsyncDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);
    public const int KeptSamples = 300;

    private readonly Lock _lock = new();
    private readonly Dictionary<int, Series> _series = [];
    private readonly CancellationTokenSource _stopping = new();
    private Task? _sampling;

    public void Start() => _sampling = SampleAsync(_stopping.Token);

    /// <summary>The domain's readings, oldest first.</summary>
    public IReadOnlyList<DomainStatsSample> For(Domain domain)
    {
        lock (_lock)
        {
            return _series.TryGetValue(domain.Id, out var series) ? [.. series.Samples] : [];
        }
    }

    /// <summary>Takes one reading of every domain now.</summary>
    public void Sample()
    {
        var now = time.GetUtcNow();
        var domains = manager.Domains;
        lock (_lock)
        {
            foreach (var gone in _series.Keys.Where(id => domains.All(d => d.Id != id)).ToList())
            {
                _series.Remove(gone);
            }

            foreach (var domain in domains)
            {
                var record = domain.Record;
                if (record.State is not (DomainState.Running or DomainState.Paused) || record.DeviceModelProcess?.Pid is not { } pid
                    || HostFacts.ResidentMib(pid) is not { } resident)
                {
                    continue;
                }

                var (cpuSeconds, _) = HostFacts.ThreadTimes(pid, domain.VcpuThreads);
                if (!_series.TryGetValue(domain.Id, out var series) || series.Pid != pid)
                {
                    _series[domain.Id] = new Series(pid, now, cpuSeconds);
                    continue;
                }

                var elapsed = (now - series.LastAt).TotalSeconds;
                series.Samples.Enqueue(new DomainStatsSample(now, Math.Max(0, (cpuSeconds - series.LastCpuSeconds) / elapsed * 100), resident));
                if (series.Samples.Count > KeptSamples)
                {
                    series.Samples.Dequeue();
                }

                (series.LastAt, series.LastCpuSeconds) = (now, cpuSeconds);
            }
        }
    }

    private async Task SampleAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            do
            {
                Sample();
            }
            while (await timer.WaitForNextTickAsync(cancellationToken));
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        if (_sampling is { } sampling)
        {
            await sampling;
        }

        _stopping.Dispose();
    }

    private sealed class Series(int pid, DateTimeOffset at, double cpuSeconds)
    {
        public int Pid { get; } = pid;

        public DateTimeOffset LastAt { get; set; } = at;

        public double LastCpuSeconds { get; set; } = cpuSeconds;

        public Queue<DomainStatsSample> Samples { get; } = new();
    }
}
