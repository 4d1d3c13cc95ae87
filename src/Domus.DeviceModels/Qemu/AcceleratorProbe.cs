using System.Diagnostics;

namespace Domus.DeviceModels.Qemu;

/// <summary>
/// Chooses the accelerator for <c>accel = "auto"</c>: KVM where /dev/kvm opens and runs a short calibration
/// guest faster than QEMU's TCG emulation does, else TCG, with the reason. A nested or software-emulated KVM
/// can be far slower than TCG, which is why opening /dev/kvm is not enough.
/// </summary>
public sealed class AcceleratorProbe(string program = QemuCommandLine.DefaultProgram, string kvmDevice = "/dev/kvm")
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A boot sector that counts down 512 Ki iterations and then writes to QEMU's isa-debug-exit port, which
    /// ends QEMU with exit code 1: <c>cli; mov ecx, 0x80000; l: dec ecx; jnz l; mov dx, 0x501; xor al, al;
    /// out dx, al; h: hlt; jmp h</c>.
    /// </summary>
    private static readonly byte[] CalibrationCode =
    [
        0xFA, 0x66, 0xB9, 0x00, 0x00, 0x08, 0x00, 0x66, 0x49, 0x75, 0xFC, 0xBA, 0x01, 0x05, 0x30, 0xC0, 0xEE, 0xF4, 0xEB, 0xFD,
    ];

    /// <summary>The CPU models tried under KVM: the host's, then without arch-capabilities, which a nested KVM may refuse.</summary>
    private static readonly string[] KvmCpuModels = ["host", "host,-arch-capabilities"];

    public async Task<AcceleratorChoice> ProbeAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(kvmDevice))
        {
            return AcceleratorChoice.Emulation($"{kvmDevice} does not exist");
        }

        try
        {
            using var device = File.Open(kvmDevice, FileMode.Open, FileAccess.ReadWrite);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return AcceleratorChoice.Emulation($"{kvmDevice} cannot be opened: {e.Message}");
        }

        // A directory of its own (random name, owner-only): a predictable /tmp path would let another user plant a link there.
        var directory = Directory.CreateTempSubdirectory("domus-calibration-");
        var image = Path.Combine(directory.FullName, "calibration.img");
        try
        {
            var sector = new byte[512];
            CalibrationCode.CopyTo(sector, 0);
            sector[510] = 0x55;
            sector[511] = 0xAA;
            await File.WriteAllBytesAsync(image, sector, cancellationToken);
            var tcg = await RunAsync(image, AcceleratorChoice.Tcg, "max", cancellationToken);
            string? failure = null;
            foreach (var model in KvmCpuModels)
            {
                var (elapsed, problem) = await RunAsync(image, AcceleratorChoice.Kvm, model, cancellationToken);
                if (elapsed is { } kvm)
                {
                    return Choose(kvm, model, tcg.Elapsed);
                }

                failure ??= problem;
            }

            return AcceleratorChoice.Emulation($"KVM did not run the calibration guest: {failure}");
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    /// <summary>KVM when it ran the calibration guest no slower than TCG did.</summary>
    public static AcceleratorChoice Choose(TimeSpan kvm, string cpuModel, TimeSpan? tcg)
    {
        var timing = $"the calibration guest took {kvm.TotalMilliseconds:F0} ms under KVM" +
            (tcg is { } t ? $" and {t.TotalMilliseconds:F0} ms under TCG" : string.Empty);
        return tcg is { } emulated && kvm > emulated
            ? AcceleratorChoice.Emulation($"KVM is slower than emulation here (nested or emulated KVM): {timing}")
            : new AcceleratorChoice(AcceleratorChoice.Kvm, cpuModel, $"KVM works: {timing}");
    }

    private async Task<(TimeSpan? Elapsed, string? Problem)> RunAsync(string image, string accelerator, string cpuModel, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        string[] arguments =
        [
            "-machine", $"pc,accel={accelerator}", "-cpu", cpuModel, "-m", "16", "-nodefaults", "-no-user-config",
            "-display", "none", "-no-reboot", "-drive", $"file={Qemu.QemuValue.Escape(image)},format=raw,if=ide", "-device", "isa-debug-exit",
        ];
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        var watch = Stopwatch.StartNew();
        Process process;
        try
        {
            process = Process.Start(startInfo)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (null, $"{program}: {e.Message}");
        }

        using (process)
        {
            process.StandardInput.Close();
            var errors = process.StandardError.ReadToEndAsync(cancellationToken);
            _ = process.StandardOutput.ReadToEndAsync(cancellationToken);
            try
            {
                await process.WaitForExitAsync(cancellationToken).WaitAsync(RunTimeout, cancellationToken);
            }
            catch (TimeoutException)
            {
                process.Kill();
                return (null, $"no result within {RunTimeout.TotalSeconds} s");
            }

            // isa-debug-exit ends QEMU with (value << 1) | 1, so 1 means the guest ran to the end.
            return process.ExitCode == 1 ? (watch.Elapsed, null) : (null, (await errors).Trim().Replace('\n', ' '));
        }
    }
}
