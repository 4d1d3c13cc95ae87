using Domus.Daemon.Console;
using Domus.Daemon.Store;
using Domus.DeviceModels;

namespace Domus.Daemon.Domains;

/// <summary>
/// A domain while domusd runs: its record, its device model session and console, and the gate that lets one
/// operation at a time change it.
/// </summary>
public sealed class Domain(DomainRecord record, DomainPaths paths)
{
    private readonly Lock _lock = new();
    private readonly List<DateTimeOffset> _restarts = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public DomainRecord Record { get; private set; } = record;

    public DomainPaths Paths { get; } = paths;

    public int Id => Record.Id;

    public string Name => Record.Name;

    public IDeviceModelSession? Session { get; set; }

    /// <summary>The device model's vCPU threads, asked once when it starts or is reattached (they do not change).</summary>
    public IReadOnlyList<int> VcpuThreads { get; set; } = [];

    /// <summary>The port of the domain's VNC server, asked once likewise.</summary>
    public int? VncPort { get; set; }

    public ConsoleRelay? Console { get; set; }

    /// <summary>Held by whatever is changing the domain: a user's action, or the reaction to the guest stopping.</summary>
    public SemaphoreSlim Gate { get; } = new(1, 1);

    /// <summary>True once domusd itself is ending the device model, so that its exit is no crash.</summary>
    public bool ExitExpected { get; set; }

    public bool Removed { get; private set; }

    public void Update(Func<DomainRecord, DomainRecord> change)
    {
        lock (_lock)
        {
            Record = change(Record);
            Signal();
        }
    }

    public void MarkRemoved()
    {
        lock (_lock)
        {
            Removed = true;
            Signal();
        }
    }

    /// <summary>Completes the next time the domain's record changes or it is removed.</summary>
    public Task NextChange()
    {
        lock (_lock)
        {
            return _changed.Task;
        }
    }

    /// <summary>Counts a restart; false when the domain restarted too often to try again (a crash loop).</summary>
    public bool AllowRestart(DateTimeOffset now, int limit, TimeSpan window)
    {
        lock (_lock)
        {
            _restarts.RemoveAll(t => now - t > window);
            if (_restarts.Count >= limit)
            {
                return false;
            }

            _restarts.Add(now);
            return true;
        }
    }

    private void Signal()
    {
        _changed.TrySetResult();
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
