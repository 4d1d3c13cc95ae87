using System.Collections.Concurrent;
using Domus.Api;
using Domus.Daemon.Store;

namespace Domus.Daemon.Tasks;

/// <summary>
/// Every changing request, who made it and how it ended, kept in the store (so that it outlives domusd); the
/// progress of running tasks is kept in memory. Tasks a stopped domusd left running are ended when it starts again.
/// </summary>
public sealed class TaskLog
{
    public const string Running = "running";
    public const string Done = "done";
    private const int Shown = 200;
    private readonly DomainStore _store;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<long, TaskHandle> _running = new();

    public TaskLog(DomainStore store, TimeProvider time)
    {
        _store = store;
        _time = time;
        store.EndUnfinishedTasks(time.GetUtcNow(), "domusd stopped before it ended");
    }

    public TaskHandle Begin(string action, string target, string who)
    {
        var summary = new TaskSummary { Id = 0, Action = action, Target = target, Who = who, Started = _time.GetUtcNow(), Ended = null, Outcome = Running, Progress = 0 };
        var handle = new TaskHandle(summary with { Id = _store.AddTask(summary) }, Finish);
        _running[handle.Id] = handle;
        return handle;
    }

    public void End(TaskHandle task, string outcome) => task.End(outcome, _time.GetUtcNow());

    /// <summary>The latest tasks, newest first, running ones with their progress now.</summary>
    public IReadOnlyList<TaskSummary> Recent() =>
        _store.LoadTasks(Shown).Select(t => _running.TryGetValue(t.Id, out var live) ? live.Summary : t).ToList();

    public TaskSummary? Find(long id) => _running.TryGetValue(id, out var live) ? live.Summary : _store.LoadTask(id);

    private void Finish(TaskSummary summary)
    {
        _store.SaveTask(summary);
        _running.TryRemove(summary.Id, out _);
    }
}
