using Domus.Platform;
using System.Text.Json;
using Domus.Config.Json;
using Domus.Vmm.Backends.Consoles;
using Domus.Vmm.Host;
using Domus.Vmm.Machine.Domain;

// domus-dm: one domain's device model. domusd starts it, reads "ready" (or the reason it could not start) from its
// standard output and error, then drives it over QMP on the control socket; from then on it writes to its log.
HostOptions options;
try
{
    options = HostOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"domus-dm: {e.Message}\n{HostOptions.Usage}");
    return 2;
}

var stdout = Console.Out;
try
{
    // Its own session, so that the domain outlives domusd and its terminal.
    DaemonProcess.DetachFromSession();
    // Small files are read synchronously on the way to "ready": an awaited read would start the thread pool first.
    var config = DomainConfigJsonReader.Read(File.ReadAllText(options.Config), options.Config);
    var quit = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    DeviceModelHost? host = null;
    await using var console = new SocketConsole(options.ConsoleSocket, options.ConsoleLog, input => host?.Current?.Platform.Com1.Receive(input));
    using var firmwareLog = new LogBackend(options.FirmwareLog);
    QmpServer? qmp = null;
    void Log(string message) => Console.Error.WriteLine($"{DateTimeOffset.Now:O} {message}");
    host = new DeviceModelHost(
        () => DomainMachine.Create(new DomainMachineSetup { Config = config, Console = new ConsoleBackend(console), FirmwareLog = firmwareLog, Taps = options.Taps }),
        config.RebootsInPlace,
        (name, data) => qmp?.Emit(name, data),
        Log,
        () => quit.TrySetResult());
    host.Start();
    await using var vnc = options.Vnc is null ? null : await VncStartup.StartAsync(options, config, host, Log);
    host.VncEndpoint = vnc?.LocalEndpoint;
    await using (qmp = new QmpServer(options.ControlSocket, host.Execute, TimeProvider.System))
    {
        File.WriteAllText(options.PidFile, $"{Environment.ProcessId}\n");
        stdout.WriteLine("ready");
        stdout.Flush();
        DaemonProcess.RedirectOutputTo(options.Log);
        Log($"domus-dm {Environment.ProcessId}: domain {config.Name} ready");
        using var terminate = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            host.Execute("quit", null);
        });
        await quit.Task;

        // Let the answer to 'quit' reach the client before the socket closes.
        await Task.Delay(100);
    }

    File.Delete(options.PidFile);
    return 0;
}
catch (Exception e) when (e is DomainMachineException or IOException or JsonException or UnauthorizedAccessException or Domus.Vmm.Kvm.KvmException
    or System.Net.Sockets.SocketException or KeyNotFoundException)
{
    Console.Error.WriteLine($"domus-dm: {e.Message}");
    return 1;
}
