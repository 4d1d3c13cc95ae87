using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Domus.Config.Json;
using Domus.Config.Model;
using Domus.Config.Normalization;
using Domus.DeviceModels.Qmp;
using Domus.Platform;
using Domus.Vmm.Backends.Disks;

namespace Domus.DeviceModels.Native;

/// <summary>
/// domus-dm, Domus' own VMM on KVM, as the device model (<c>device_model_version = "native"</c>): it reads the
/// normalized configuration that domusd writes next to its sockets, leaves domusd's session, and speaks QMP on the
/// control socket, so that domusd drives it exactly as it drives QEMU.
/// </summary>
public sealed class NativeDeviceModel(string? program = null) : IDeviceModel
{
    public const string ProgramName = "domus-dm";
    public const string KvmDevice = "/dev/kvm";
    /// <summary>The network cards domus-dm's PC takes (PlatformLayout.MaxNetworkCards, which this process does not load).</summary>
    private const int MaxNetworkCards = 8;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    public DeviceModelKind Kind => DeviceModelKind.Native;

    /// <summary>
    /// The program: the configuration's <c>device_model_override</c> path, else <c>DOMUS_DM</c>, else domus-dm next to
    /// the running program (as installed and as built), else on PATH.
    /// </summary>
    public string? Locate(DomainConfig config)
    {
        if ((config.DeviceModel.Path ?? program ?? Environment.GetEnvironmentVariable("DOMUS_DM")) is { Length: > 0 } explicitPath)
        {
            return ProgramLocator.Find(explicitPath);
        }

        var besides = Path.Combine(AppContext.BaseDirectory, ProgramName);
        return File.Exists(besides) ? besides : ProgramLocator.Find(ProgramName);
    }

    public IEnumerable<string> Problems(DomainConfig config)
    {
        if (Locate(config) is null)
        {
            yield return $"device_model_version = \"native\": {config.DeviceModel.Path ?? ProgramName} is not installed (scripts/install.sh installs it)";
        }

        if (!File.Exists(KvmDevice))
        {
            yield return $"device_model_version = \"native\" needs KVM, and {KvmDevice} does not exist on this host; use the QEMU device model";
        }

        if (config.Accel == Accelerator.Tcg)
        {
            yield return "accel = \"tcg\": domus-dm runs guests on KVM only";
        }

        foreach (var disk in config.Disks)
        {
            if (disk.Bus != DiskBus.Ide)
            {
                yield return $"disk {disk.Vdev}: domus-dm has IDE drives only (hda to hdd)";
            }
            else if (disk.Format == DiskFormat.Qcow2 && disk.Target is { } target && Qcow2DiskImage.Problem(target, disk.IsReadOnly) is { } problem)
            {
                yield return $"disk {disk.Vdev}: {target}: {problem}";
            }
        }

        for (var i = 0; i < config.Vifs.Count; i++)
        {
            var vif = config.Vifs[i];
            if (vif.Model is not (NicModel.Pcnet or NicModel.VirtioNet))
            {
                yield return $"vif {i}: model={JsonEnumSpelling.Of(vif.Model)}: domus-dm has pcnet and virtio-net cards; use one of them, or the QEMU device model";
            }
            else if (vif.Rate is not null)
            {
                yield return $"vif {i}: rate: domus-dm does not limit a card's rate yet; use the QEMU device model";
            }
        }

        if (config.Vifs.Count > MaxNetworkCards)
        {
            yield return $"vif: domus-dm takes {MaxNetworkCards} network cards at most; this domain has {config.Vifs.Count}";
        }

        for (var i = 0; i < config.Serial.Count; i++)
        {
            var target = config.Serial[i];
            if (i > 1 || !(target is "null" or SerialTarget.None || target.StartsWith("file:", StringComparison.Ordinal) || (i == 0 && target == "pty")))
            {
                yield return $"serial {i}: '{target}': domus-dm has COM1 ('pty' for the console, 'file:/PATH', or 'null' or 'none' for nothing attached) and COM2 ('file:/PATH', 'null' or 'none')";
            }
        }

        if (config.Firmware == "ovmf")
        {
            yield return "firmware = \"ovmf\": domus-dm boots SeaBIOS only";
        }

        if (config.Sdl)
        {
            yield return "sdl: domus-dm shows the screen over VNC only; set sdl = 0 and vnc = 1";
        }

        if (config.Vnc.Enabled && config.Vga is not (VgaKind.Stdvga or VgaKind.None))
        {
            yield return $"vga = \"{JsonEnumSpelling.Of(config.Vga)}\": domus-dm's graphics card is the standard VGA; set vga = \"stdvga\"";
        }
    }

    public async Task<IDeviceModelSession> StartAsync(DeviceModelLaunch launch, CancellationToken cancellationToken)
    {
        var executable = Locate(launch.Config) ?? throw new DeviceModelException($"{ProgramName} is not installed");
        var paths = launch.Paths;
        var configFile = Path.Combine(paths.RuntimeDirectory, "domain.json");
        await File.WriteAllTextAsync(configFile, JsonSerializer.Serialize(launch.Config, DomainConfigJsonContext.Default.DomainConfig), cancellationToken);
        string[] arguments =
        [
            "--config", configFile, "--control", paths.ControlSocket, "--console", paths.ConsoleSocket, "--console-log", paths.ConsoleLog,
            "--firmware-log", Path.Combine(paths.StateDirectory, "firmware.log"), "--log", paths.DeviceModelLog, "--pidfile", paths.PidFile,
            .. launch.Taps.SelectMany(tap => new[] { "--tap", tap }),
            .. await VncArgumentsAsync(launch, cancellationToken),
        ];
        await File.WriteAllTextAsync(paths.DeviceModelLog, $"{DateTimeOffset.Now:O} {executable} {string.Join(' ', arguments)}\n", cancellationToken);
        var startInfo = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        var process = Process.Start(startInfo) ?? throw new DeviceModelException($"could not start {executable}");
        process.StandardInput.Close();
        var errors = process.StandardError.ReadToEndAsync(CancellationToken.None);
        string? ready;
        try
        {
            ready = await process.StandardOutput.ReadLineAsync(cancellationToken).AsTask().WaitAsync(StartTimeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            process.Kill();
            throw new DeviceModelException($"{ProgramName} did not start within {StartTimeout.TotalSeconds} s");
        }

        if (ready != "ready")
        {
            await process.WaitForExitAsync(CancellationToken.None);
            var message = (await errors).Trim();
            await File.AppendAllTextAsync(paths.DeviceModelLog, message + "\n", CancellationToken.None);
            throw new DeviceModelException(message.Length > 0 ? message.Replace('\n', ' ') : $"{ProgramName} exited with code {process.ExitCode}");
        }

        var identity = ProcessIdentity.Of(process.Id) ?? throw new DeviceModelException($"{ProgramName} (pid {process.Id}) exited right after starting");
        _ = ReapAsync(process);
        return await AttachAsync(identity, launch.Config, paths, cancellationToken);
    }

    /// <summary>
    /// Where domus-dm's VNC server listens (the display QEMU would take, see <see cref="VncDisplay"/>), and its
    /// password in a file only domusd's user can read, in the runtime directory.
    /// </summary>
    private static async Task<string[]> VncArgumentsAsync(DeviceModelLaunch launch, CancellationToken cancellationToken)
    {
        var vnc = launch.Config.Vnc;
        if (!vnc.Enabled)
        {
            return [];
        }

        var display = VncDisplay.Of(vnc, launch.DomainId);
        List<string> arguments = ["--vnc", $"{display.Host}:{display.Port}"];
        if (display.SearchesForFree)
        {
            arguments.AddRange(["--vnc-last-port", VncDisplay.LastSearchedPort.ToString(CultureInfo.InvariantCulture)]);
        }

        if (vnc.Password is { Length: > 0 } password)
        {
            var file = Path.Combine(launch.Paths.RuntimeDirectory, "vnc-password");
            await using (var stream = new FileStream(file, new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite }))
            {
                await stream.WriteAsync(System.Text.Encoding.UTF8.GetBytes(password), cancellationToken);
            }

            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            arguments.AddRange(["--vnc-password-file", file]);
        }

        return [.. arguments];
    }

    public async Task<IDeviceModelSession> AttachAsync(ProcessIdentity process, DomainConfig config, DomainPaths paths, CancellationToken cancellationToken)
    {
        try
        {
            return new QmpSession(ProgramName, process, await QmpClient.ConnectAsync(paths.ControlSocket, cancellationToken), config.RebootsInPlace);
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or IOException or QmpException)
        {
            throw new DeviceModelException($"cannot reach {ProgramName} (pid {process.Pid.ToString(CultureInfo.InvariantCulture)}) on {paths.ControlSocket}: {e.Message}");
        }
    }

    /// <summary>domus-dm stays domusd's child while domusd lives; waiting collects its exit status when it ends.</summary>
    private static async Task ReapAsync(Process process)
    {
        using (process)
        {
            await process.WaitForExitAsync(CancellationToken.None);
        }
    }
}
