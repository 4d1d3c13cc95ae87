using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Domus.Vmm.Backends.Display;
using Domus.Vmm.Backends.Input;
using Domus.Vmm.Machine;
using Domus.Vmm.Machine.Domain;

namespace Domus.Vmm.Host;

/// <summary>
/// One domain's machine under domus-dm, with QEMU's run states and QMP commands: it starts paused
/// (<c>prelaunch</c>), runs on <c>cont</c>, pauses on <c>stop</c>; when the guest powers off, resets or crashes the
/// machine stops and waits (<c>shutdown</c>, <c>internal-error</c>) for domusd to decide, which resets it
/// (<c>system_reset</c>: a fresh machine from the same configuration) or ends it (<c>quit</c>). With
/// <paramref name="rebootsInPlace"/> a guest's reboot gets that fresh machine at once, as QEMU's reboot=reset does.
/// It is also the screen, keyboard and pointer of the VNC server, which outlives the machines: each reaches the
/// current machine under the host's lock, so never one being taken apart (black, and input dropped, without one).
/// </summary>
public sealed class DeviceModelHost(Func<DomainMachine> build, bool rebootsInPlace, Action<string, JsonObject?> emit, Action<string> log, Action quit)
    : IDisplaySource, IKeyboardInput, IPointerInput
{
    /// <summary>What a viewer sees while there is no screen: VGA text mode's size, black.</summary>
    private const int BlankWidth = 640, BlankHeight = 400;

    /// <summary>QEMU's default for how long send-key holds the keys.</summary>
    private const int DefaultHoldMilliseconds = 100;
    private readonly Lock _lock = new();
    private DomainMachine? _machine;
    private Task<MachineStopReason>? _run;
    private string _status = "prelaunch";
    private int _generation;

    /// <summary>The machine whose COM1 the console types into, if there is one.</summary>
    public DomainMachine? Current
    {
        get
        {
            lock (_lock)
            {
                return _machine;
            }
        }
    }

    /// <summary>Where the VNC server listens, for <c>query-vnc</c>; null without one.</summary>
    public IPEndPoint? VncEndpoint { get; set; }

    public void Start()
    {
        lock (_lock)
        {
            Build();
        }
    }

    /// <summary>
    /// A fresh machine, paused, its vCPU threads started and parked as QEMU's are at prelaunch: 'cont' then only lets
    /// them run, and the threads' start is not on the way from 'cont' to the guest's first instruction.
    /// </summary>
    private void Build()
    {
        var machine = build();
        _machine = machine;
        machine.Machine.Pause();
        _status = "prelaunch";

        // StopMachine waits for the vCPUs (_run) under the lock; the report of the stop takes the lock after.
        var generation = _generation;
        _run = machine.Machine.RunAsync(CancellationToken.None);
        _run.ContinueWith(run => Stopped(generation, run.Result), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
    }

    public JsonNode? Execute(string command, JsonObject? arguments)
    {
        lock (_lock)
        {
            switch (command)
            {
                case "qmp_capabilities" or "set-action":
                    return null;
                case "query-status":
                    return new JsonObject { ["running"] = _status == "running", ["singlestep"] = false, ["status"] = _status };
                case "query-cpus-fast":
                    return new JsonArray([.. (_machine?.Machine.Vcpus ?? []).Select(v => (JsonNode)new JsonObject { ["cpu-index"] = v.Id, ["thread-id"] = v.ThreadId, ["target"] = "x86_64" })]);
                case "query-vnc":
                    return VncEndpoint is { } vnc
                        ? new JsonObject { ["enabled"] = true, ["host"] = vnc.Address.ToString(), ["service"] = vnc.Port.ToString(CultureInfo.InvariantCulture), ["family"] = vnc.AddressFamily == AddressFamily.InterNetworkV6 ? "ipv6" : "ipv4" }
                        : new JsonObject { ["enabled"] = false };
                case "screendump":
                    Screendump(arguments?["filename"]?.GetValue<string>() ?? throw new QmpCommandException("screendump: 'filename' is missing"), arguments["format"]?.GetValue<string>() ?? "png");
                    return null;
                case "cont":
                    Continue();
                    return null;
                case "stop":
                    Pause();
                    return null;
                case "system_powerdown":
                    (_machine ?? throw new QmpCommandException("the machine is not running")).Platform.PressPowerButton();
                    return null;
                case "system_reset":
                    Reset();
                    return null;
                case "quit":
                    StopMachine("quit");
                    quit();
                    return null;
                case "send-key":
                    SendKeys(QmpKeys.Parse(arguments?["keys"] as JsonArray), TimeSpan.FromMilliseconds(arguments?["hold-time"]?.GetValue<int>() ?? DefaultHoldMilliseconds));
                    return null;
                case "dump-guest-memory":
                    throw new QmpCommandException($"{command}: domus-dm does not offer it yet");
                default:
                    throw new QmpCommandException($"The command {command} has not been found", "CommandNotFound");
            }
        }
    }

    public void Render(Frame frame)
    {
        lock (_lock)
        {
            if (_machine?.Screen is { } screen)
            {
                screen.Render(frame);
            }
            else
            {
                frame.Resize(BlankWidth, BlankHeight);
                frame.Pixels.AsSpan().Clear();
            }
        }
    }

    public void SendKey(ushort scancode, bool pressed)
    {
        lock (_lock)
        {
            _machine?.Platform.Keyboard.SendKey(scancode, pressed);
        }
    }

    public void SendPointer(int deltaX, int deltaY, int deltaWheel, PointerButtons buttons)
    {
        lock (_lock)
        {
            _machine?.Platform.Keyboard.SendPointer(deltaX, deltaY, deltaWheel, buttons);
        }
    }

    /// <summary>QEMU's screendump: the screen now, as a PNG file (the only format domus-dm writes).</summary>
    private void Screendump(string path, string format)
    {
        if (format != "png")
        {
            throw new QmpCommandException($"screendump: domus-dm writes png, not {format}");
        }

        var screen = _machine?.Screen ?? throw new QmpCommandException("screendump: the machine has no graphics card (vga = \"stdvga\" with vnc = 1)");
        var frame = new Frame();
        screen.Render(frame);
        try
        {
            File.WriteAllBytes(path, PngEncoder.Encode(frame));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new QmpCommandException($"screendump: cannot write {path}: {e.Message}");
        }
    }

    /// <summary>Presses the keys in order on the machine's keyboard and releases them in reverse after <paramref name="hold"/>, as QEMU does.</summary>
    private void SendKeys(IReadOnlyList<ushort> keys, TimeSpan hold)
    {
        var keyboard = (_machine ?? throw new QmpCommandException("the machine is not running")).Platform.Keyboard;
        foreach (var key in keys)
        {
            keyboard.SendKey(key, pressed: true);
        }

        _ = Task.Delay(hold).ContinueWith(_ =>
        {
            lock (_lock)
            {
                // A machine rebuilt meanwhile has a fresh keyboard with nothing held.
                if (_machine?.Platform.Keyboard == keyboard)
                {
                    foreach (var key in keys.Reverse())
                    {
                        keyboard.SendKey(key, pressed: false);
                    }
                }
            }
        }, TaskScheduler.Default);
    }

    private void Continue()
    {
        if (_status is "shutdown" or "internal-error" || _machine is null)
        {
            throw new QmpCommandException("Resetting the Virtual Machine is required");
        }

        if (_status == "running")
        {
            return;
        }

        _machine.Machine.Resume();
        _status = "running";
        emit("RESUME", null);
    }

    private void Pause()
    {
        if (_status != "running")
        {
            return;
        }

        _machine!.Machine.Pause();
        _status = "paused";
        emit("STOP", null);
    }

    /// <summary>A fresh machine from the configuration; it runs at once if the old one was running.</summary>
    private void Reset()
    {
        var wasRunning = _status == "running";
        StopMachine("reset from outside");
        Build();
        emit("RESET", new JsonObject { ["guest"] = false, ["reason"] = "host-qmp-system-reset" });
        if (wasRunning)
        {
            Continue();
        }
    }

    /// <summary>Ends the current machine and waits for its vCPU threads; a stop it causes is not the guest's.</summary>
    private void StopMachine(string why)
    {
        _generation++;
        if (_machine is { } machine)
        {
            machine.Machine.Stop(new MachineStopReason(MachineStopKind.Stopped, why));
            _run?.Wait();
            machine.Dispose();
        }

        _machine = null;
        _run = null;
    }

    /// <summary>The guest stopped its machine: report it the way QEMU does, and keep the process for domusd.</summary>
    private void Stopped(int generation, MachineStopReason reason)
    {
        lock (_lock)
        {
            if (generation != _generation)
            {
                return;
            }

            log($"machine stopped: {reason.Kind}: {reason.Detail}{(reason.Fault is { } fault ? $"\n{fault}" : string.Empty)}");
            switch (reason.Kind)
            {
                case MachineStopKind.PoweredOff:
                    _status = "shutdown";
                    emit("SHUTDOWN", new JsonObject { ["guest"] = true, ["reason"] = "guest-shutdown" });
                    break;
                case MachineStopKind.Reset when rebootsInPlace:
                    RebootInPlace();
                    break;
                case MachineStopKind.Reset:
                    _status = "shutdown";
                    emit("SHUTDOWN", new JsonObject { ["guest"] = true, ["reason"] = "guest-reset" });
                    break;
                default:
                    Panicked(reason.Detail);
                    break;
            }
        }
    }

    /// <summary>Replaces the machine the guest reset (its vCPUs have ended) with a fresh one and runs it.</summary>
    private void RebootInPlace()
    {
        _generation++;
        _machine?.Dispose();
        _machine = null;
        _run = null;
        try
        {
            Build();
        }
        catch (DomainMachineException e)
        {
            Panicked($"the machine could not be rebuilt after the guest's reboot: {e.Message}");
            return;
        }

        emit("RESET", new JsonObject { ["guest"] = true, ["reason"] = "guest-reset" });
        Continue();
    }

    /// <summary>The machine cannot go on: QEMU's internal-error state, reported as a guest panic with the reason.</summary>
    private void Panicked(string message)
    {
        _status = "internal-error";
        emit("GUEST_PANICKED", new JsonObject { ["action"] = "pause", ["info"] = new JsonObject { ["type"] = "domus-dm", ["message"] = message } });
    }
}
