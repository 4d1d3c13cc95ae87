using Domus.Daemon.Store;
using Domus.Daemon.Tasks;

namespace Domus.Daemon.Tests.Tasks;

public sealed class TaskLogTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("domus-tasks-");

    public void Dispose() => _directory.Delete(recursive: true);

    private string Database => Path.Combine(_directory.FullName, "domus.db");

    [Fact]
    public void TasksAreKeptWithWhoAskedAndHowTheyEnded()
    {
        using var store = new DomainStore(Database);
        var log = new TaskLog(store, TimeProvider.System);
        var shutdown = log.Begin("domain.shutdown", "web", "local socket");
        var image = log.Begin("image.create", string.Empty, "127.0.0.1");
        image.SetTarget("web.qcow2");
        image.Report(40);
        log.End(shutdown, "web is shutdown; it cannot shut down");

        var (running, ended) = (log.Recent()[0], log.Recent()[1]);
        Assert.Equal((image.Id, "image.create", "web.qcow2", "127.0.0.1", TaskLog.Running, 40, null), (running.Id, running.Action, running.Target, running.Who, running.Outcome, running.Progress, running.Ended));
        Assert.Equal((shutdown.Id, "web is shutdown; it cannot shut down"), (ended.Id, ended.Outcome));
        Assert.NotNull(ended.Ended);

        log.End(image, TaskLog.Done);
        log.End(image, "a second ending is ignored");
        Assert.Equal((TaskLog.Done, 100), (log.Find(image.Id)!.Outcome, log.Find(image.Id)!.Progress));
    }

    [Fact]
    public void TheLogKeepsTheLatestTasks()
    {
        using var store = new DomainStore(Database);
        var log = new TaskLog(store, TimeProvider.System);
        var first = log.Begin("domain.pause", "web", "local socket");
        log.End(first, TaskLog.Done);
        for (var i = 0; i < DomainStore.TasksKept; i++)
        {
            log.End(log.Begin("domain.pause", "web", "local socket"), TaskLog.Done);
        }

        Assert.Null(log.Find(first.Id));
        Assert.Equal(first.Id + 1, store.LoadTask(first.Id + 1)!.Id);
    }

    [Fact]
    public void TasksLeftRunningByAStoppedDaemonAreEndedWhenItStartsAgain()
    {
        long id;
        using (var store = new DomainStore(Database))
        {
            id = new TaskLog(store, TimeProvider.System).Begin("config.create", "web", "local socket").Id;
        }

        using var reopened = new DomainStore(Database);
        var task = new TaskLog(reopened, TimeProvider.System).Find(id);
        Assert.Equal("domusd stopped before it ended", task!.Outcome);
        Assert.NotNull(task.Ended);
    }
}
