using Domus.Api;

namespace Domus.Daemon.Tasks;

/// <summary>A task while it runs: its target and progress can change until it ends, once.</summary>
public sealed class TaskHandle(TaskSummary started, Action<TaskSummary> ended)
{
    private readonly Lock _lock = new();
    private TaskSummary _summary = started;

    public long Id { get; } = started.Id;

    public TaskSummary Summary
    {
        get
        {
            lock (_lock)
            {
                return _summary;
            }
        }
    }

    /// <summary>The work goes on after the request that began it has been answered; whoever does it ends the task.</summary>
    public bool Detached { get; private set; }

    public void Detach() => Detached = true;

    /// <summary>What went wrong in a request that was still answered with success (a file written, its domain not started).</summary>
    public string? Problem { get; private set; }

    public void ReportProblem(string problem) => Problem = problem;

    public void SetTarget(string target) => Change(s => s with { Target = target });

    public void Report(int progress) => Change(s => s with { Progress = Math.Clamp(progress, 0, 100) });

    public void End(string outcome, DateTimeOffset now)
    {
        TaskSummary final;
        lock (_lock)
        {
            if (_summary.Ended is not null)
            {
                return;
            }

            final = _summary = _summary with { Ended = now, Outcome = outcome, Progress = outcome == TaskLog.Done ? 100 : _summary.Progress };
        }

        ended(final);
    }

    private void Change(Func<TaskSummary, TaskSummary> change)
    {
        lock (_lock)
        {
            if (_summary.Ended is null)
            {
                _summary = change(_summary);
            }
        }
    }
}
