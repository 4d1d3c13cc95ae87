using Domus.Platform;
using System.Globalization;
using Domus.Api;
using System.Text.Json;
using Domus.Config.Json;
using Domus.Daemon.Domains;
using Domus.Daemon.Networks;
using Domus.DeviceModels;
using Microsoft.Data.Sqlite;

namespace Domus.Daemon.Store;

/// <summary>
/// Domain state in an embedded SQLite database: the domains, the last domain id handed out (ids are never
/// reused, as Xen's were not), the bridges domusd manages, and the task log. Every write is one transaction, so a domusd killed at any moment leaves a
/// consistent database.
/// </summary>
public sealed class DomainStore : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly Lock _lock = new();

    public DomainStore(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        _connection.Open();
        Execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;");
        Execute("""
            CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS domains (
                id INTEGER PRIMARY KEY,
                name TEXT NOT NULL UNIQUE,
                config TEXT NOT NULL,
                config_path TEXT,
                vnc_password TEXT,
                state TEXT NOT NULL,
                pid INTEGER,
                pid_start INTEGER,
                accel TEXT NOT NULL,
                cpu_model TEXT NOT NULL,
                accel_reason TEXT NOT NULL,
                taps TEXT NOT NULL,
                created_at TEXT NOT NULL,
                started_at TEXT NOT NULL,
                crash_reason TEXT);
            CREATE TABLE IF NOT EXISTS networks (
                name TEXT PRIMARY KEY,
                address TEXT,
                dhcp INTEGER NOT NULL,
                nat INTEGER NOT NULL,
                created_at TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS tasks (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                action TEXT NOT NULL,
                target TEXT NOT NULL,
                who TEXT NOT NULL,
                started_at TEXT NOT NULL,
                ended_at TEXT,
                outcome TEXT NOT NULL,
                progress INTEGER NOT NULL);
            """);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    public int NextDomainId()
    {
        lock (_lock)
        {
            using var transaction = _connection.BeginTransaction();
            var last = Scalar("SELECT value FROM meta WHERE key = 'last_domain_id'", transaction) is string text ? int.Parse(text, CultureInfo.InvariantCulture) : 0;
            var used = Scalar("SELECT MAX(id) FROM domains", transaction) is long max ? (int)max : 0;
            var next = Math.Max(last, used) + 1;
            Execute("INSERT INTO meta (key, value) VALUES ('last_domain_id', $v) ON CONFLICT(key) DO UPDATE SET value = $v", transaction, ("$v", next.ToString(CultureInfo.InvariantCulture)));
            transaction.Commit();
            return next;
        }
    }

    public string? GetMeta(string key)
    {
        lock (_lock)
        {
            return Scalar("SELECT value FROM meta WHERE key = $k", null, ("$k", key)) as string;
        }
    }

    public void SetMeta(string key, string value)
    {
        lock (_lock)
        {
            Execute("INSERT INTO meta (key, value) VALUES ($k, $v) ON CONFLICT(key) DO UPDATE SET value = $v", null, ("$k", key), ("$v", value));
        }
    }

    public void Save(DomainRecord record)
    {
        lock (_lock)
        {
            Execute(
                """
                INSERT INTO domains (id, name, config, config_path, vnc_password, state, pid, pid_start, accel, cpu_model, accel_reason, taps, created_at, started_at, crash_reason)
                VALUES ($id, $name, $config, $config_path, $vnc_password, $state, $pid, $pid_start, $accel, $cpu_model, $accel_reason, $taps, $created_at, $started_at, $crash_reason)
                ON CONFLICT(id) DO UPDATE SET name = $name, config = $config, config_path = $config_path, vnc_password = $vnc_password,
                    state = $state, pid = $pid, pid_start = $pid_start, accel = $accel, cpu_model = $cpu_model, accel_reason = $accel_reason,
                    taps = $taps, started_at = $started_at, crash_reason = $crash_reason
                """,
                null,
                ("$id", record.Id),
                ("$name", record.Name),
                ("$config", JsonSerializer.Serialize(record.Config, DomainConfigJsonContext.Default.DomainConfig)),
                ("$config_path", record.ConfigPath),
                ("$vnc_password", record.VncPassword),
                ("$state", record.State.ToString()),
                ("$pid", record.DeviceModelProcess?.Pid),
                ("$pid_start", record.DeviceModelProcess?.StartTime),
                ("$accel", record.Accelerator.Name),
                ("$cpu_model", record.Accelerator.CpuModel),
                ("$accel_reason", record.Accelerator.Reason),
                ("$taps", string.Join(' ', record.Taps)),
                ("$created_at", record.CreatedAt.ToString("O", CultureInfo.InvariantCulture)),
                ("$started_at", record.StartedAt.ToString("O", CultureInfo.InvariantCulture)),
                ("$crash_reason", record.CrashReason));
        }
    }

    public void Delete(int id)
    {
        lock (_lock)
        {
            Execute("DELETE FROM domains WHERE id = $id", null, ("$id", id));
        }
    }

    public IReadOnlyList<DomainRecord> LoadAll()
    {
        lock (_lock)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT id, config, config_path, vnc_password, state, pid, pid_start, accel, cpu_model, accel_reason, taps, created_at, started_at, crash_reason FROM domains ORDER BY id";
            using var reader = command.ExecuteReader();
            var records = new List<DomainRecord>();
            while (reader.Read())
            {
                records.Add(new DomainRecord
                {
                    Id = reader.GetInt32(0),
                    Config = DomainConfigJsonReader.Read(reader.GetString(1), $"domain {reader.GetInt32(0)} in {_connection.DataSource}"),
                    ConfigPath = reader.IsDBNull(2) ? null : reader.GetString(2),
                    VncPassword = reader.IsDBNull(3) ? null : reader.GetString(3),
                    State = Enum.Parse<DomainState>(reader.GetString(4)),
                    DeviceModelProcess = reader.IsDBNull(5) ? null : new ProcessIdentity(reader.GetInt32(5), reader.GetInt64(6)),
                    Accelerator = new AcceleratorChoice(reader.GetString(7), reader.GetString(8), reader.GetString(9)),
                    Taps = reader.GetString(10).Split(' ', StringSplitOptions.RemoveEmptyEntries),
                    CreatedAt = DateTimeOffset.Parse(reader.GetString(11), CultureInfo.InvariantCulture),
                    StartedAt = DateTimeOffset.Parse(reader.GetString(12), CultureInfo.InvariantCulture),
                    CrashReason = reader.IsDBNull(13) ? null : reader.GetString(13),
                });
            }

            return records;
        }
    }

    public void SaveNetwork(NetworkRecord network)
    {
        lock (_lock)
        {
            Execute(
                "INSERT INTO networks (name, address, dhcp, nat, created_at) VALUES ($name, $address, $dhcp, $nat, $created_at)",
                null,
                ("$name", network.Name),
                ("$address", network.Address?.ToString()),
                ("$dhcp", network.Dhcp),
                ("$nat", network.Nat),
                ("$created_at", network.CreatedAt.ToString("O", CultureInfo.InvariantCulture)));
        }
    }

    public void DeleteNetwork(string name)
    {
        lock (_lock)
        {
            Execute("DELETE FROM networks WHERE name = $name", null, ("$name", name));
        }
    }

    public IReadOnlyList<NetworkRecord> LoadNetworks()
    {
        lock (_lock)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT name, address, dhcp, nat, created_at FROM networks ORDER BY name";
            using var reader = command.ExecuteReader();
            var networks = new List<NetworkRecord>();
            while (reader.Read())
            {
                networks.Add(new NetworkRecord(
                    reader.GetString(0),
                    reader.IsDBNull(1) ? null : BridgeAddress.Parse(reader.GetString(1)),
                    reader.GetBoolean(2),
                    reader.GetBoolean(3),
                    DateTimeOffset.Parse(reader.GetString(4), CultureInfo.InvariantCulture)));
            }

            return networks;
        }
    }

    /// <summary>How many tasks the log keeps; older ones are dropped as new ones come.</summary>
    public const int TasksKept = 10_000;

    /// <summary>Records a task as it begins, dropping the oldest beyond <see cref="TasksKept"/>; returns its id.</summary>
    public long AddTask(TaskSummary task)
    {
        lock (_lock)
        {
            using var transaction = _connection.BeginTransaction();
            var id = (long)Scalar(
                "INSERT INTO tasks (action, target, who, started_at, outcome, progress) VALUES ($action, $target, $who, $started_at, $outcome, $progress) RETURNING id",
                transaction,
                ("$action", task.Action),
                ("$target", task.Target),
                ("$who", task.Who),
                ("$started_at", Timestamp(task.Started)),
                ("$outcome", task.Outcome),
                ("$progress", task.Progress))!;
            Execute("DELETE FROM tasks WHERE id <= $oldest", transaction, ("$oldest", id - TasksKept));
            transaction.Commit();
            return id;
        }
    }

    public void SaveTask(TaskSummary task)
    {
        lock (_lock)
        {
            Execute(
                "UPDATE tasks SET target = $target, ended_at = $ended_at, outcome = $outcome, progress = $progress WHERE id = $id",
                null,
                ("$id", task.Id),
                ("$target", task.Target),
                ("$ended_at", task.Ended is { } ended ? Timestamp(ended) : null),
                ("$outcome", task.Outcome),
                ("$progress", task.Progress));
        }
    }

    /// <summary>Ends the tasks a domusd that stopped left running.</summary>
    public void EndUnfinishedTasks(DateTimeOffset now, string outcome)
    {
        lock (_lock)
        {
            Execute("UPDATE tasks SET ended_at = $now, outcome = $outcome WHERE ended_at IS NULL", null, ("$now", Timestamp(now)), ("$outcome", outcome));
        }
    }

    /// <summary>The latest tasks, newest first.</summary>
    public IReadOnlyList<TaskSummary> LoadTasks(int limit) => QueryTasks("ORDER BY id DESC LIMIT $n", ("$n", limit));

    public TaskSummary? LoadTask(long id) => QueryTasks("WHERE id = $id", ("$id", id)).FirstOrDefault();

    private List<TaskSummary> QueryTasks(string clause, params (string Name, object? Value)[] parameters)
    {
        lock (_lock)
        {
            using var command = Command($"SELECT id, action, target, who, started_at, ended_at, outcome, progress FROM tasks {clause}", null, parameters);
            using var reader = command.ExecuteReader();
            var tasks = new List<TaskSummary>();
            while (reader.Read())
            {
                tasks.Add(new TaskSummary
                {
                    Id = reader.GetInt64(0),
                    Action = reader.GetString(1),
                    Target = reader.GetString(2),
                    Who = reader.GetString(3),
                    Started = DateTimeOffset.Parse(reader.GetString(4), CultureInfo.InvariantCulture),
                    Ended = reader.IsDBNull(5) ? null : DateTimeOffset.Parse(reader.GetString(5), CultureInfo.InvariantCulture),
                    Outcome = reader.GetString(6),
                    Progress = reader.GetInt32(7),
                });
            }

            return tasks;
        }
    }

    private static string Timestamp(DateTimeOffset time) => time.ToString("O", CultureInfo.InvariantCulture);

    private object? Scalar(string sql, SqliteTransaction? transaction, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(sql, transaction, parameters);
        var value = command.ExecuteScalar();
        return value is DBNull ? null : value;
    }

    private void Execute(string sql, SqliteTransaction? transaction = null, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(sql, transaction, parameters);
        command.ExecuteNonQuery();
    }

    private SqliteCommand Command(string sql, SqliteTransaction? transaction, (string Name, object? Value)[] parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    public void Dispose() => _connection.Dispose();
}
