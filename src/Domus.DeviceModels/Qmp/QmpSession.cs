using System.Collections.Concurrent;
using Domus.Config.Model;
using Domus.DeviceModels.Qemu;
using Domus.Platform;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Domus.DeviceModels.Qmp;

/// <summary>
/// A running device model driven over QMP: QEMU, or domus-dm, which speaks the same protocol; its QMP events
/// become <see cref="DeviceModelEvent"/>s. <paramref name="program"/> names it in messages.
/// </summary>
public sealed class QmpSession : IDeviceModelSession
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan ResetTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan ExitGrace = TimeSpan.FromSeconds(2);

    /// <summary>A guest's reset this soon after another is SeaBIOS restoring its shadowed copy, not a reboot of its own.</summary>
    private static readonly TimeSpan FirmwareResetWindow = TimeSpan.FromSeconds(1);

    private readonly QmpClient _qmp;
    private readonly Channel<DeviceModelEvent> _events = Channel.CreateUnbounded<DeviceModelEvent>();
    private readonly Task _translator;
    private TaskCompletionSource? _resetDone;
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _unplugs = new(StringComparer.Ordinal);
    private volatile bool _closing;

    private readonly string _program;
    private long? _lastResetTicks;

    public QmpSession(string program, ProcessIdentity process, QmpClient qmp, bool rebootsInPlace)
    {
        _program = program;
        Process = process;
        _qmp = qmp;
        RebootsInPlace = rebootsInPlace;
        _translator = Task.Run(TranslateEventsAsync);
    }

    public ProcessIdentity Process { get; }

    public bool RebootsInPlace { get; }

    /// <summary>Runs a QMP command; the device model's refusal or absence becomes a <see cref="DeviceModelException"/>.</summary>
    private async Task<JsonNode?> ExecuteAsync(string command, JsonObject? arguments, CancellationToken cancellationToken)
    {
        try
        {
            return await _qmp.ExecuteAsync(command, arguments, cancellationToken);
        }
        catch (QmpException e)
        {
            throw new DeviceModelException($"{_program} (pid {Process.Pid}) {command}: {e.Message}");
        }
    }

    public ChannelReader<DeviceModelEvent> Events => _events.Reader;

    public Task ResumeAsync(CancellationToken cancellationToken) => ExecuteAsync("cont", null, cancellationToken);

    public Task PauseAsync(CancellationToken cancellationToken) => ExecuteAsync("stop", null, cancellationToken);

    public Task PressPowerButtonAsync(CancellationToken cancellationToken) => ExecuteAsync("system_powerdown", null, cancellationToken);

    /// <summary>
    /// Resets and runs the machine. Only a device model that resets the machine on a guest's reboot can: one told
    /// to stop instead (so that domusd applies on_reboot) would stop on this reset too, or on SeaBIOS's own reset
    /// that follows it (QEMU leaves the BIOS shadowed in RAM over a reset, and SeaBIOS resets again to restore it).
    /// </summary>
    public async Task RestartAsync(CancellationToken cancellationToken)
    {
        if (!RebootsInPlace)
        {
            throw new InvalidOperationException($"{_program} stops on a reboot; start a fresh one instead");
        }

        var reset = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _resetDone, reset);
        await ExecuteAsync("system_reset", null, cancellationToken);
        await reset.Task.WaitAsync(ResetTimeout, cancellationToken);

        // A paused machine comes out of the reset in prelaunch; QEMU finishes a reset on its main loop, and until
        // then 'cont' may find it not yet ready to run.
        JsonNode? status = null;
        for (var attempt = 0; attempt < 100; attempt++)
        {
            status = await ExecuteAsync("query-status", null, cancellationToken);
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

        throw new DeviceModelException($"{_program} (pid {Process.Pid}) did not run again after the reset (its state: {status?["status"]})");
    }

    public Task DumpMemoryAsync(string path, CancellationToken cancellationToken) =>
        ExecuteAsync("dump-guest-memory", new JsonObject { ["paging"] = false, ["protocol"] = "file:" + path }, cancellationToken);

    /// <summary>
    /// Deletes every drive with HMP's drive_del: Domus defines its drives with -drive, whose backends QMP's blockdev-del
    /// cannot remove. drive_del answers with an empty text, or with its reason for refusing.
    /// </summary>
    public async Task ReleaseDisksAsync(CancellationToken cancellationToken)
    {
        var drives = await ExecuteAsync("query-block", null, cancellationToken) as JsonArray ?? [];

        // A deleted drive stays listed, nameless, until its device goes.
        foreach (var name in drives.Select(drive => drive?["device"]?.GetValue<string>()).OfType<string>().Where(name => name.Length > 0))
        {
            var refusal = (await ExecuteAsync("human-monitor-command", new JsonObject { ["command-line"] = $"drive_del {name}" }, cancellationToken))?.GetValue<string>();
            if (refusal is { Length: > 0 })
            {
                throw new DeviceModelException($"{_program} (pid {Process.Pid}) drive_del {name}: {refusal.Trim()}");
            }
        }
    }

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

    public Task ScreenshotAsync(string path, CancellationToken cancellationToken) =>
        ExecuteAsync("screendump", new JsonObject { ["filename"] = path, ["format"] = "png" }, cancellationToken);

    public async Task AttachNicAsync(VifConfig vif, string tap, CancellationToken cancellationToken)
    {
        var (device, backend) = QemuCommandLine.NicIds(vif.Mac);
        await ExecuteAsync("netdev_add", new JsonObject { ["type"] = "tap", ["id"] = backend, ["ifname"] = tap, ["script"] = "no", ["downscript"] = "no" }, cancellationToken);
        try
        {
            await ExecuteAsync("device_add", new JsonObject { ["driver"] = QemuCommandLine.NicDevice(vif.Model), ["netdev"] = backend, ["mac"] = vif.Mac.ToString(), ["id"] = device }, cancellationToken);
        }
        catch
        {
            await ExecuteAsync("netdev_del", new JsonObject { ["id"] = backend }, CancellationToken.None);
            throw;
        }
    }

    public async Task DetachNicAsync(VifConfig vif, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var (device, backend) = QemuCommandLine.NicIds(vif.Mac);
        // A detach that timed out earlier left its waiter here: the guest may have let go since, or still may.
        var unplugged = _unplugs.GetOrAdd(device, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!unplugged.Task.IsCompleted)
        {
            try
            {
                await ExecuteAsync("device_del", new JsonObject { ["id"] = device }, cancellationToken);
            }
            catch (DeviceModelException e) when (e.Message.Contains("in the process of unplug", StringComparison.Ordinal))
            {
                // Asked before; the guest has not answered yet.
            }
        }

        try
        {
            await unplugged.Task.WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new DeviceModelException($"the guest did not let go of the card {vif.Mac} within {timeout.TotalSeconds:F0} s (it needs ACPI PCI hotplug); it stays plugged until the guest ejects it");
        }

        _unplugs.TryRemove(device, out _);
        await ExecuteAsync("netdev_del", new JsonObject { ["id"] = backend }, cancellationToken);
    }

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

        Process.Kill();
        while (Process.IsAlive)
        {
            await Task.Delay(PollInterval, cancellationToken);
        }
    }

    /// <summary>Completes a waiting detach; an unplug is not an event domusd acts on.</summary>
    private DeviceModelEvent? Unplugged(JsonObject? data)
    {
        if (data?["device"]?.GetValue<string>() is { } device && _unplugs.TryGetValue(device, out var waiting))
        {
            waiting.TrySetResult();
        }

        return null;
    }

    private async Task TranslateEventsAsync()
    {
        await foreach (var e in _qmp.Events.ReadAllAsync())
        {
            var translated = e.Name switch
            {
                "RESET" => Reset(e.Data),
                "SHUTDOWN" => Shutdown(e.Data),
                "GUEST_PANICKED" => new DeviceModelEvent(DeviceModelEventKind.Crashed, e.Data?["info"]?["message"]?.GetValue<string>() ?? "the guest panicked"),
                "STOP" => new DeviceModelEvent(DeviceModelEventKind.Paused, "stopped"),
                "RESUME" => new DeviceModelEvent(DeviceModelEventKind.Resumed, "resumed"),
                "DEVICE_DELETED" => Unplugged(e.Data),
                _ => null,
            };
            if (translated is not null)
            {
                _events.Writer.TryWrite(translated);
            }
        }

        if (!_closing)
        {
            // The device model closes its QMP socket as it exits; give the process a moment to be gone.
            var deadline = DateTime.UtcNow + ExitGrace;
            while (Process.IsAlive && DateTime.UtcNow < deadline)
            {
                await Task.Delay(PollInterval);
            }

            _events.Writer.TryWrite(new DeviceModelEvent(DeviceModelEventKind.Exited, Process.IsAlive ? $"{_program} (pid {Process.Pid}) closed its control socket" : $"the device model, {_program} (pid {Process.Pid}), ended unexpectedly"));
        }

        _events.Writer.TryComplete();
    }

    /// <summary>
    /// A reset of the machine; the guest's own is a reboot, unless it follows another reset closely: SeaBIOS resets
    /// once more straight after every reset, and a reboot loop still counts once per <see cref="FirmwareResetWindow"/>.
    /// </summary>
    private DeviceModelEvent? Reset(JsonObject? data)
    {
        Volatile.Read(ref _resetDone)?.TrySetResult();
        var now = Environment.TickCount64;
        var guest = data?["guest"]?.GetValue<bool>() == true;
        if (guest && now - _lastResetTicks < (long)FirmwareResetWindow.TotalMilliseconds)
        {
            return null;
        }

        _lastResetTicks = now;
        return guest ? new DeviceModelEvent(DeviceModelEventKind.RebootedInPlace, "the guest rebooted") : null;
    }

    private static DeviceModelEvent? Shutdown(JsonObject? data) => data?["reason"]?.GetValue<string>() switch
    {
        "guest-shutdown" => new DeviceModelEvent(DeviceModelEventKind.PoweredOff, "the guest powered off"),
        "guest-reset" => new DeviceModelEvent(DeviceModelEventKind.Rebooted, "the guest rebooted"),
        "guest-panic" => new DeviceModelEvent(DeviceModelEventKind.Crashed, "the guest panicked"),
        _ => null,
    };

    /// <summary>Closes the QMP connection and leaves the device model running; no Exited event follows.</summary>
    public async ValueTask DisposeAsync()
    {
        _closing = true;
        await _qmp.DisposeAsync();
        await _translator;
    }
}
