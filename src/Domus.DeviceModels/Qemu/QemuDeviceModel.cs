using Domus.Platform;
using System.Diagnostics;
using System.Globalization;
using Domus.Config.Model;
using Domus.DeviceModels.Qmp;

namespace Domus.DeviceModels.Qemu;

/// <summary>
/// QEMU as the device model, as qemu-dm was for Xen: started with the argv of <see cref="QemuCommandLine"/>,
/// daemonized so that it outlives domusd, and driven over QMP.
/// </summary>
public sealed class QemuDeviceModel(string defaultProgram = QemuCommandLine.DefaultProgram) : IDeviceModel
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan EndTimeout = TimeSpan.FromSeconds(5);

    public DeviceModelKind Kind => DeviceModelKind.Qemu;

    public IEnumerable<string> Problems(DomainConfig config)
    {
        var program = config.DeviceModel.Path ?? defaultProgram;
        if (ProgramLocator.Find(program) is null)
        {
            yield return program.Contains('/')
                ? $"QEMU is not installed: {program} does not exist"
                : $"QEMU is not installed: '{program}' is not on PATH (Debian: apt-get install qemu-system-x86)";
        }
    }

    public async Task<IDeviceModelSession> StartAsync(DeviceModelLaunch launch, CancellationToken cancellationToken)
    {
        var requested = launch.Config.DeviceModel.Path ?? defaultProgram;
        var program = ProgramLocator.Find(requested)
            ?? throw new DeviceModelException(requested.Contains('/')
                ? $"QEMU is not installed: {requested} does not exist"
                : $"QEMU is not installed: '{requested}' is not on PATH (Debian: apt-get install qemu-system-x86)");
        var arguments = QemuCommandLine.Build(launch);
        await File.WriteAllTextAsync(launch.Paths.DeviceModelLog, $"{DateTimeOffset.Now:O} {program} {string.Join(' ', arguments)}\n", cancellationToken);
        QmpSession? session = null;
        try
        {
            await LaunchAsync(program, arguments, launch.Paths, cancellationToken);
            session = (QmpSession)await AttachAsync(ReadPidFile(launch.Paths.PidFile), launch.Config, launch.Paths, cancellationToken);
            if (launch.Config.Vnc.Password is { } password)
            {
                await session.SetVncPasswordAsync(password, cancellationToken);
            }

            return session;
        }
        catch
        {
            if (session is not null)
            {
                await session.DisposeAsync();
            }

            await EndLaunchedQemuAsync(program, launch.Paths);
            throw;
        }
    }

    /// <summary>Runs QEMU until it has daemonized: its first process exits once the machine is set up.</summary>
    private static async Task LaunchAsync(string program, IReadOnlyList<string> arguments, DomainPaths paths, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo) ?? throw new DeviceModelException($"could not start {program}");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken).WaitAsync(StartTimeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new DeviceModelException($"QEMU did not finish starting within {StartTimeout.TotalSeconds} s");
        }

        var message = ((await errors) + (await output)).Trim();
        await File.AppendAllTextAsync(paths.DeviceModelLog, message.Length > 0 ? message + "\n" : string.Empty, cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new DeviceModelException($"QEMU failed to start: {(message.Length > 0 ? message.Replace('\n', ' ') : $"exit code {process.ExitCode}")}");
        }
    }

    /// <summary>
    /// Ends the QEMU of a start that failed and removes the files it made, so that no paused machine outlives the
    /// error. Daemonized, that QEMU is out of the started process's tree, and its pid file may be missing: it is found
    /// by that file's path on its command line, which names this domain alone.
    /// </summary>
    private static async Task EndLaunchedQemuAsync(string program, DomainPaths paths)
    {
        await Task.WhenAll(ProcessIdentity.WithArgument(Path.GetFileName(program), paths.PidFile).Select(process => process.KillAndWaitAsync(EndTimeout)));

        foreach (var file in new[] { paths.PidFile, paths.ControlSocket, paths.ConsoleSocket })
        {
            File.Delete(file);
        }
    }

    public async Task<IDeviceModelSession> AttachAsync(ProcessIdentity process, DomainConfig config, DomainPaths paths, CancellationToken cancellationToken)
    {
        try
        {
            var qmp = await QmpClient.ConnectAsync(paths.ControlSocket, cancellationToken);
            return new QmpSession("QEMU", process, qmp, config.RebootsInPlace);
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or IOException or QmpException)
        {
            throw new DeviceModelException($"cannot reach QEMU (pid {process.Pid}) on {paths.ControlSocket}: {e.Message}");
        }
    }

    private static ProcessIdentity ReadPidFile(string path)
    {
        try
        {
            var pid = int.Parse(File.ReadAllText(path).Trim(), CultureInfo.InvariantCulture);
            return ProcessIdentity.Of(pid) ?? throw new DeviceModelException($"QEMU (pid {pid}) exited right after starting");
        }
        catch (Exception e) when (e is IOException or FormatException)
        {
            throw new DeviceModelException($"QEMU started but left no usable pid file at {path}: {e.Message}");
        }
    }
}
