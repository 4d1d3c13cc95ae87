using Domus.Platform;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Domus.DeviceModels.Qemu;

/// <summary>A running QEMU, driven over QMP; its QMP events become <see cref="DeviceModelEvent"/>s.</summary>
public sealed class QemuSession : IDeviceModelSession
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan ResetTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan ExitGrace = TimeSpan.FromSeconds(2);

    private readonly QmpClient _qmp;
    private readonly Channel<DeviceModelEvent> _events = Channel.CreateUnbounded<DeviceModelEvent>();
    private readonly Task _translator;
    private TaskCompletionSource? _resetDone;
    private volatile bool _closing;

    public QemuSession(ProcessIdentity process, QmpClient qmp)
    {
        Process = process;
        _qmp = qmp;
        _translator = Task.Run(TranslateEventsAsync);
    }

    public ProcessIdentity Process { get; }

    /// <summary>Runs a QMP command; QEMU's refusal or absence becomes a <see cref="DeviceModelException"/>.</summary>
    private async Task<JsonNode?> ExecuteAsync(string command, JsonObject? arguments, CancellationToken cancellationToken)
    {
        try
        {
            return await _qmp.ExecuteAsync(command, arguments, cancellationToken);
        }
        catch (QmpException e)
        {
            throw new DeviceModelException($"QEMU (pid {Process.Pid}) {command}: {e.Message}");
        }
    }

    public ChannelReader<DeviceModelEvent> Events => _events.Reader;

    public Task ResumeAsync(CancellationToken cancellationToken) => ExecuteAsync("cont", null, cancellationToken);

    public Task PauseAsync(CancellationToken cancellationToken) => ExecuteAsync("stop", null, cancellationToken);

    public Task PressPowerButtonAsync(CancellationToken cancellationToken) => ExecuteAsync("system_powerdown", null, cancellationToken);

    /// <summary>
    /// Resets and runs the machine. QEMU was told to stop rather than reboot (so that domusd applies on_reboot),
    /// which would turn this reset into a stop as well; so reboots are allowed for the moment of the reset.
    /// </summary>
    public async Task RestartAsync(CancellationToken cancellationToken)
    {
        var reset = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _resetDone, reset);
        await ExecuteAsync("set-action", new JsonObject { ["reboot"] = "reset" }, cancellationToken);
        try
        {
            await ExecuteAsync("system_reset", null, cancellationToken);
            await reset.Task.WaitAsync(ResetTimeout, cancellationToken);
        }
        finally
        {
            await ExecuteAsync("set-action", new JsonObject { ["reboot"] = "shutdown" }, cancellationToken);
        }

        // QEMU finishes a reset on its main loop; until then 'cont' may find the machine not yet ready to run.
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var status = await ExecuteAsync("query-status", null, cancellationToken);
            if (status?["running"]?.GetValue<bool>() == true)
            {
                return;
            }

            if (status?["status"]?.GetValue<string>() is "prelaunch" or "paused")
            {
                await ExecuteAsync("cont", null, cancellationToken);
            }

            await Task.Delay(PollInterval, cancellationToken);
        }

        throw new DeviceModelException($"QEMU (pid {Process.Pid}) did not run again after the reset");
    }

    public Task DumpMemoryAsync(string path, CancellationToken cancellationToken) =>
        ExecuteAsync("dump-guest-memory", new JsonObject { ["paging"] = false, ["protocol"] = "file:" + path }, cancellationToken);

    public Task SendCtrlAltDelAsync(CancellationToken cancellationToken)
    {
        var keys = new JsonArray(
            new JsonObject { ["type"] = "qcode", ["data"] = "ctrl" },
            new JsonObject { ["type"] = "qcode", ["data"] = "alt" },
            new JsonObject { ["type"] = "qcode", ["data"] = "delete" });
        return ExecuteAsync("send-key", new JsonObject { ["keys"] = keys }, cancellationToken);
    }

    public Task SetVncPasswordAsync(string password, CancellationToken cancellationToken) =>
        ExecuteAsync("set_password", new JsonObject { ["protocol"] = "vnc", ["password"] = password }, cancellationToken);

    public async Task<DeviceModelStatus> QueryStatusAsync(CancellationToken cancellationToken)
    {
        var status = await ExecuteAsync("query-status", null, cancellationToken);
        var cpus = await ExecuteAsync("query-cpus-fast", null, cancellationToken) as JsonArray ?? [];
        var threads = cpus.Select(cpu => cpu?["thread-id"]?.GetValue<int>() ?? 0).Where(t => t > 0).ToList();
        return new DeviceModelStatus(
            status?["running"]?.GetValue<bool>() ?? false,
            status?["status"]?.GetValue<string>() ?? "unknown",
            threads);
    }

    public async Task<int?> QueryVncPortAsync(CancellationToken cancellationToken)
    {
        var vnc = await ExecuteAsync("query-vnc", null, cancellationToken);
        return vnc?["enabled"]?.GetValue<bool>() == true && int.TryParse(vnc["service"]?.GetValue<string>(), out var port) ? port : null;
    }

    public async Task KillAsync(TimeSpan grace, CancellationToken cancellationToken)
    {
        try
        {
            await ExecuteAsync("quit", null, cancellationToken).WaitAsync(grace, cancellationToken);
        }
        catch (Exception e) when (e is DeviceModelException or TimeoutException)
        {
            // Already gone, or not answering: the deadline below decides.
        }

        var deadline = DateTime.UtcNow + grace;
        while (Process.IsAlive && DateTime.UtcNow < deadline)
        {
            await Task.Delay(PollInterval, cancellationToken);
        }

        if (Process.IsAlive)
        {
            try
            {
                System.Diagnostics.Process.GetProcessById(Process.Pid).Kill();
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
                // It ended in between.
            }

            while (Process.IsAlive)
            {
                await Task.Delay(PollInterval, cancellationToken);
            }
        }
    }

    private async Task TranslateEventsAsync()
    {
        await foreach (var e in _qmp.Events.ReadAllAsync())
        {
            if (e.Name == "RESET")
            {
                Volatile.Read(ref _resetDone)?.TrySetResult();
            }

            var translated = e.Name switch
            {
                "SHUTDOWN" => Shutdown(e.Data),
                "GUEST_PANICKED" => new DeviceModelEvent(DeviceModelEventKind.Crashed, "the guest panicked"),
                "STOP" => new DeviceModelEvent(DeviceModelEventKind.Paused, "stopped"),
                "RESUME" => new DeviceModelEvent(DeviceModelEventKind.Resumed, "resumed"),
                _ => null,
            };
            if (translated is not null)
            {
                _events.Writer.TryWrite(translated);
            }
        }

        if (!_closing)
        {
            // QEMU closes its QMP socket as it exits; give the process a moment to be gone.
            var deadline = DateTime.UtcNow + ExitGrace;
            while (Process.IsAlive && DateTime.UtcNow < deadline)
            {
                await Task.Delay(PollInterval);
            }

            _events.Writer.TryWrite(new DeviceModelEvent(DeviceModelEventKind.Exited, Process.IsAlive ? $"QEMU (pid {Process.Pid}) closed its control socket" : $"the device model, QEMU (pid {Process.Pid}), ended unexpectedly"));
        }

        _events.Writer.TryComplete();
    }

    private static DeviceModelEvent? Shutdown(JsonObject? data) => data?["reason"]?.GetValue<string>() switch
    {
        "guest-shutdown" => new DeviceModelEvent(DeviceModelEventKind.PoweredOff, "the guest powered off"),
        "guest-reset" => new DeviceModelEvent(DeviceModelEventKind.Rebooted, "the guest rebooted"),
        "guest-panic" => new DeviceModelEvent(DeviceModelEventKind.Crashed, "the guest panicked"),
        _ => null,
    };

    /// <summary>Closes the QMP connection and leaves QEMU running; no Exited event follows.</summary>
    public async ValueTask DisposeAsync()
    {
        _closing = true;
        await _qmp.DisposeAsync();
        await _translator;
    }
}
