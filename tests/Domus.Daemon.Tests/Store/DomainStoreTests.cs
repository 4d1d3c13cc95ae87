using Domus.Daemon.Domains;
using Domus.Daemon.Store;
using Domus.DeviceModels;
using Domus.Platform;

namespace Domus.Daemon.Tests.Store;

public sealed class DomainStoreTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("domus-store-");

    public void Dispose() => _directory.Delete(recursive: true);

    private string Database => Path.Combine(_directory.FullName, "domus.db");

    private static DomainRecord Record(int id, string name) => new()
    {
        Id = id,
        Config = Configs.From($"name = '{name}'\nmemory = 64\nvif = ['mac=00:16:3e:00:00:0{id}']\nvncpasswd = 'kept-apart'"),
        ConfigPath = "/etc/domus/vm/x.cfg",
        VncPassword = "kept-apart",
        State = DomainState.Running,
        DeviceModelProcess = new ProcessIdentity(4242, 987654),
        Accelerator = new AcceleratorChoice("kvm", "host,-arch-capabilities", "KVM works"),
        Taps = [$"vif{id}.0"],
        CreatedAt = new DateTimeOffset(2026, 11, 26, 8, 0, 0, TimeSpan.Zero),
        StartedAt = new DateTimeOffset(2026, 11, 26, 8, 0, 1, TimeSpan.Zero),
        CrashReason = null,
    };

    [Fact]
    public void RecordsSurviveAReopen()
    {
        var original = Record(1, "web");
        using (var store = new DomainStore(Database))
        {
            store.Save(original);
        }

        using var reopened = new DomainStore(Database);
        var loaded = Assert.Single(reopened.LoadAll());
        Assert.Equal(original.Taps, loaded.Taps);
        Assert.Equal(original with { Config = loaded.Config, Taps = loaded.Taps }, loaded);
        Assert.Equal(original.Config.Vifs[0].Mac, loaded.Config.Vifs[0].Mac);
        Assert.Equal(original.Config.Name, loaded.Config.Name);
        Assert.Null(loaded.Config.Vnc.Password);
        Assert.Equal("kept-apart", loaded.VncPassword);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Database));
    }

    [Fact]
    public void DomainIdsAreNeverReused()
    {
        using var store = new DomainStore(Database);
        var first = store.NextDomainId();
        store.Save(Record(first, "a"));
        var second = store.NextDomainId();
        store.Delete(first);
        store.Delete(second);
        Assert.Equal((1, 2, 3), (first, second, store.NextDomainId()));
    }

    [Fact]
    public void UpdatesReplaceTheRecord()
    {
        using var store = new DomainStore(Database);
        store.Save(Record(1, "a"));
        store.Save(Record(1, "a") with { State = DomainState.Crashed, CrashReason = "boom", DeviceModelProcess = null });
        var loaded = Assert.Single(store.LoadAll());
        Assert.Equal((DomainState.Crashed, "boom", (ProcessIdentity?)null), (loaded.State, loaded.CrashReason, loaded.DeviceModelProcess));
    }

    [Fact]
    public void NamesAreUnique()
    {
        using var store = new DomainStore(Database);
        store.Save(Record(1, "same"));
        Assert.ThrowsAny<Microsoft.Data.Sqlite.SqliteException>(() => store.Save(Record(2, "same")));
    }
}
