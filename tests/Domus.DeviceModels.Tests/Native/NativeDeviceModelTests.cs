using System.Net.Sockets;
using System.Text;
using Domus.DeviceModels.Native;
using Domus.Platform;

namespace Domus.DeviceModels.Tests.Native;

/// <summary>
/// domus-dm as domusd runs it: started as a process with the domain's configuration, driven over QMP, its console
/// on a socket. Guests boot through SeaBIOS from boot sectors assembled from Guests/*.asm. Everything but the
/// refusal without KVM needs /dev/kvm and the seabios package, and skips without them.
/// </summary>
public sealed class NativeDeviceModelTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("domus-native-");

    public void Dispose()
    {
        LeftoverProcesses.KillUnder(_directory.FullName);
        _directory.Delete(recursive: true);
    }

    private static string Bios => Environment.GetEnvironmentVariable("DOMUS_SEABIOS") is { Length: > 0 } path ? path : "/usr/share/seabios/bios.bin";

    /// <summary>A domain booting <paramref name="guest"/>; with <paramref name="screen"/> it has the standard VGA on VNC (the first free port), else no VNC.</summary>
    private DeviceModelLaunch Launch(string guest, string more = "", IReadOnlyList<string>? taps = null, bool screen = false)
    {
        var image = Path.Combine(_directory.FullName, guest + ".img");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "guests", guest + ".bin"), image);
        var display = screen ? "vnc = 1\nvncunused = 1\nvga = 'stdvga'" : "vnc = 0";
        var launch = Launches.From(
            $"device_model_version = 'native'\nmemory = 32\nserial = 'pty'\nboot = 'c'\nfirmware = '{Bios}'\ndisk = ['{image},raw,hda,w']\n{display}\n{more}",
            Path.Combine(_directory.FullName, "run"),
            taps);
        launch.Paths.Create();
        return launch;
    }

    private static void RequireKvmAndGuests()
    {
        if (!File.Exists(NativeDeviceModel.KvmDevice))
        {
            Assert.Skip($"{NativeDeviceModel.KvmDevice} does not exist here; domus-dm needs KVM");
        }

        if (!File.Exists(Bios))
        {
            Assert.Skip($"{Bios} is missing (Debian package seabios)");
        }

        if (!File.Exists(Path.Combine(AppContext.BaseDirectory, "guests", "powerbutton.bin")))
        {
            Assert.Skip("the test guests were not assembled: nasm is not installed (scripts/test.sh installs it)");
        }
    }

    private static async Task<DeviceModelEvent> NextEventAsync(IDeviceModelSession session, DeviceModelEventKind kind, DomainPaths paths)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await foreach (var e in session.Events.ReadAllAsync(timeout.Token))
            {
                if (e.Kind == kind)
                {
                    return e;
                }
            }
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"no {kind} event within {Timeout.TotalSeconds} s\n{Logs(paths)}");
        }

        throw new InvalidOperationException($"the events ended without {kind}\n{Logs(paths)}");
    }

    private static async Task<string> ReadUntilAsync(Socket console, StringBuilder seen, string text, DomainPaths paths)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var buffer = new byte[1024];
        while (!seen.ToString().Contains(text, StringComparison.Ordinal))
        {
            int read;
            try
            {
                read = await console.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                read = 0;
            }

            if (read == 0)
            {
                Assert.Fail($"'{text}' did not come on the console; it showed: {seen}\n{Logs(paths)}");
            }

            seen.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        return seen.ToString();
    }

    private static string Logs(DomainPaths paths)
    {
        var firmware = Path.Combine(paths.StateDirectory, "firmware.log");
        return $"domus-dm's log: {Contents(paths.DeviceModelLog)}\nfirmware: {Contents(firmware)}\nconsole: {Contents(paths.ConsoleLog)}";

        static string Contents(string file) => File.Exists(file) ? File.ReadAllText(file) : "(none)";
    }

    [Fact]
    public void TheNativeExampleAsksForNothingDomusDmLacks()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "Domus.slnx")))
        {
            root = root.Parent ?? throw new InvalidOperationException("the repository root was not found");
        }

        var example = Path.Combine(root.FullName, "examples", "native.hvm");
        var config = Domus.Config.DomainConfigLoader.Load(new Domus.Config.Syntax.SourceText(example, File.ReadAllText(example), Path.GetDirectoryName(example)!), [], new Domus.Config.LoadOptions()).Config;
        Assert.Equal(Domus.Config.Model.DeviceModelKind.Native, config.DeviceModel.Kind);

        // What may remain is this host's: no KVM here, or domus-dm not installed next to the tests.
        Assert.All(new NativeDeviceModel().Problems(config), problem =>
            Assert.True(problem.Contains(NativeDeviceModel.KvmDevice, StringComparison.Ordinal) || problem.Contains("is not installed", StringComparison.Ordinal), problem));
    }

    [Fact]
    public void VncIsOfferedOnTheStandardVgaAndSdlIsNot()
    {
        static IEnumerable<string> Problems(string text) => new NativeDeviceModel().Problems(Domus.Config.DomainConfigLoader.Load(
            new Domus.Config.Syntax.SourceText("t.cfg", $"device_model_version = 'native'\nmemory = 32\n{text}", "/"), [], new Domus.Config.LoadOptions()).Config);

        Assert.DoesNotContain(Problems("vnc = 1\nvga = 'stdvga'"), p => p.StartsWith("vga", StringComparison.Ordinal) || p.StartsWith("vnc", StringComparison.Ordinal));
        Assert.Contains(Problems("vnc = 1\nvga = 'cirrus'"), p => p == "vga = \"cirrus\": domus-dm's graphics card is the standard VGA; set vga = \"stdvga\"");
        Assert.Contains(Problems("sdl = 1\nvga = 'stdvga'"), p => p.StartsWith("sdl:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Qcow2DisksAreCheckedBeforeStartAndRawOnesAreNeverProbed()
    {
        if (!File.Exists("/usr/bin/qemu-img"))
        {
            Assert.Skip("qemu-img is missing (Debian package qemu-utils)");
        }

        var (plain, backed, dirty) = (Path.Combine(_directory.FullName, "plain.qcow2"), Path.Combine(_directory.FullName, "backed.qcow2"), Path.Combine(_directory.FullName, "dirty.qcow2"));
        foreach (var (image, more) in new[] { (plain, Array.Empty<string>()), (backed, ["-b", plain, "-F", "qcow2"]), (dirty, []) })
        {
            var (exit, output) = await HostCommand.RunAsync("qemu-img", ["create", "-q", "-f", "qcow2", .. more, image, "16M"], CancellationToken.None);
            Assert.True(exit == 0, output);
        }

        await using (var file = File.OpenWrite(dirty))
        {
            file.Position = 79;
            file.WriteByte(1);
        }

        List<string> DiskProblems(string disks) => [.. new NativeDeviceModel().Problems(Domus.Config.DomainConfigLoader.Load(
            new Domus.Config.Syntax.SourceText("t.cfg", $"device_model_version = 'native'\nmemory = 32\ndisk = [{disks}]", "/"), [], new Domus.Config.LoadOptions()).Config)
            .Where(p => p.StartsWith("disk", StringComparison.Ordinal))];

        Assert.Empty(DiskProblems($"'tap:qcow2:{plain},hda,w', 'tap:qcow2:{dirty},hdb,r'"));
        Assert.Equal([$"disk hda: {backed}: qcow2: the image names a backing file; domus-dm reads self-contained images only (flatten it with 'qemu-img convert -O qcow2 IMAGE NEW')"], DiskProblems($"'tap:qcow2:{backed},hda,w'"));
        Assert.Equal([$"disk hdb: {dirty}: qcow2: the image is marked dirty (its refcounts may be stale after a crash); repair it with 'qemu-img check -r all'"], DiskProblems($"'format=qcow2, vdev=hdb, target={dirty}'"));
        Assert.Empty(DiskProblems($"'file:{backed},hda,w'"));
    }

    [Fact]
    public async Task TheVncPortGoesOnTheCommandLineAndThePasswordIntoAnOwnerOnlyFile()
    {
        if (File.Exists(NativeDeviceModel.KvmDevice))
        {
            Assert.Skip($"this host has {NativeDeviceModel.KvmDevice}; without it domus-dm stops right after reading its command line, which is what this test looks at");
        }

        var launch = Launches.From("device_model_version = 'native'\nmemory = 32\nvnc = 1\nvga = 'stdvga'\nvncdisplay = 3\nvncpasswd = 'sesame'", Path.Combine(_directory.FullName, "run"));
        launch.Paths.Create();
        await Assert.ThrowsAsync<DeviceModelException>(() => new NativeDeviceModel().StartAsync(launch, TestContext.Current.CancellationToken));
        var passwordFile = Path.Combine(launch.Paths.RuntimeDirectory, "vnc-password");
        var commandLine = (await File.ReadAllLinesAsync(launch.Paths.DeviceModelLog, TestContext.Current.CancellationToken))[0];
        Assert.Contains(":5903 --vnc-password-file " + passwordFile, commandLine, StringComparison.Ordinal);
        Assert.DoesNotContain("sesame", commandLine, StringComparison.Ordinal);
        Assert.Equal("sesame", await File.ReadAllTextAsync(passwordFile, TestContext.Current.CancellationToken));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(passwordFile));
    }

    [Fact]
    public async Task WithoutKvmDomusDmRefusesToStartAndSaysWhy()
    {
        if (File.Exists(NativeDeviceModel.KvmDevice))
        {
            Assert.Skip($"this host has {NativeDeviceModel.KvmDevice}; the refusal is for hosts without it");
        }

        var launch = Launches.From("device_model_version = 'native'\nmemory = 32\nserial = 'pty'", Path.Combine(_directory.FullName, "run"));
        launch.Paths.Create();
        var error = await Assert.ThrowsAsync<DeviceModelException>(() => new NativeDeviceModel().StartAsync(launch, TestContext.Current.CancellationToken));
        Assert.Contains("/dev/kvm", error.Message, StringComparison.Ordinal);
        Assert.Contains("/dev/kvm", await File.ReadAllTextAsync(launch.Paths.DeviceModelLog, TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.False(File.Exists(launch.Paths.PidFile));
    }

    [Fact]
    public async Task TheScreenIsServedOverVncAndScreenshotsAndCtrlAltDelReachTheGuest()
    {
        RequireKvmAndGuests();
        if (!File.Exists("/usr/share/seabios/vgabios-stdvga.bin"))
        {
            Assert.Skip("/usr/share/seabios/vgabios-stdvga.bin is missing (Debian package seabios)");
        }

        var ct = TestContext.Current.CancellationToken;
        var launch = Launch("powerbutton", screen: true);
        await using var session = await new NativeDeviceModel().StartAsync(launch, ct);
        var port = await session.QueryVncPortAsync(ct);
        Assert.InRange(port ?? 0, 5900, 5999);
        using var viewer = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await viewer.ConnectAsync(System.Net.IPAddress.Loopback, port!.Value, ct);
        var greeting = new byte[12];
        await viewer.ReceiveAsync(greeting, SocketFlags.None, ct);
        Assert.Equal("RFB 003.008\n", Encoding.ASCII.GetString(greeting));

        using var console = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await console.ConnectAsync(new UnixDomainSocketEndPoint(launch.Paths.ConsoleSocket), ct);
        await session.ResumeAsync(ct);
        await ReadUntilAsync(console, new StringBuilder(), "type a key", launch.Paths);
        var screenshot = Path.Combine(_directory.FullName, "screen.png");
        await session.ScreenshotAsync(screenshot, ct);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], (await File.ReadAllBytesAsync(screenshot, ct))[..4]);
        await session.SendCtrlAltDelAsync(ct);
        await session.KillAsync(TimeSpan.FromSeconds(5), ct);
    }

    [Fact]
    public async Task AGuestTakesConsoleInputPausesResumesAndPowersOffOnThePowerButton()
    {
        RequireKvmAndGuests();
        var ct = TestContext.Current.CancellationToken;
        var launch = Launch("powerbutton");
        await using var session = await new NativeDeviceModel().StartAsync(launch, ct);
        var status = await session.QueryStatusAsync(ct);
        Assert.Equal(("prelaunch", false), (status.RunState, status.Running));

        using var console = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await console.ConnectAsync(new UnixDomainSocketEndPoint(launch.Paths.ConsoleSocket), ct);
        await session.ResumeAsync(ct);
        await NextEventAsync(session, DeviceModelEventKind.Resumed, launch.Paths);
        var seen = new StringBuilder();
        await ReadUntilAsync(console, seen, "type a key", launch.Paths);
        status = await session.QueryStatusAsync(ct);
        Assert.True(status.Running, status.RunState);
        Assert.NotNull(ProcessIdentity.ReadStatFields(session.Process.Pid, Assert.Single(status.VcpuThreads)));

        await session.PauseAsync(ct);
        await NextEventAsync(session, DeviceModelEventKind.Paused, launch.Paths);
        Assert.Equal("paused", (await session.QueryStatusAsync(ct)).RunState);
        await session.ResumeAsync(ct);

        await console.SendAsync("x"u8.ToArray(), SocketFlags.None, ct);
        await ReadUntilAsync(console, seen, "typed: x", launch.Paths);
        await session.PressPowerButtonAsync(ct);
        var off = await NextEventAsync(session, DeviceModelEventKind.PoweredOff, launch.Paths);
        Assert.Equal("the guest powered off", off.Detail);
        Assert.Contains("power button pressed", await File.ReadAllTextAsync(launch.Paths.ConsoleLog, ct), StringComparison.Ordinal);
        Assert.Contains("SeaBIOS", await File.ReadAllTextAsync(Path.Combine(launch.Paths.StateDirectory, "firmware.log"), ct), StringComparison.Ordinal);

        await session.RestartAsync(ct);
        Assert.True((await session.QueryStatusAsync(ct)).Running);
        await ReadUntilAsync(console, new StringBuilder(), "type a key", launch.Paths);
        await session.KillAsync(TimeSpan.FromSeconds(5), ct);
        Assert.False(session.Process.IsAlive);
        await NextEventAsync(session, DeviceModelEventKind.Exited, launch.Paths);
    }

    [Fact]
    public async Task TheDomainsNetworkCardsAreOnTheTapsDomusdGaveAndSeaBiosFindsThem()
    {
        RequireKvmAndGuests();
        var ct = TestContext.Current.CancellationToken;
        string[] taps = [$"dmt{Environment.ProcessId % 100000}.0", $"dmt{Environment.ProcessId % 100000}.1"];
        try
        {
            foreach (var tap in taps)
            {
                var (code, output) = await HostCommand.RunAsync("ip", ["tuntap", "add", "dev", tap, "mode", "tap"], ct);
                Assert.True(code == 0, output);
            }

            var launch = Launch("powerbutton", "vif = ['model=pcnet', 'model=virtio-net']", taps);
            await using var session = await new NativeDeviceModel().StartAsync(launch, ct);
            using var console = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await console.ConnectAsync(new UnixDomainSocketEndPoint(launch.Paths.ConsoleSocket), ct);
            await session.ResumeAsync(ct);
            await ReadUntilAsync(console, new StringBuilder(), "type a key", launch.Paths);
            var firmware = await File.ReadAllTextAsync(Path.Combine(launch.Paths.StateDirectory, "firmware.log"), ct);
            Assert.True(firmware.Contains("PCI: init bdf=00:03.0 id=1022:2000", StringComparison.Ordinal), Logs(launch.Paths));
            Assert.True(firmware.Contains("PCI: init bdf=00:04.0 id=1af4:1000", StringComparison.Ordinal), Logs(launch.Paths));
            await session.KillAsync(TimeSpan.FromSeconds(5), ct);
        }
        finally
        {
            foreach (var tap in taps)
            {
                await HostCommand.RunAsync("ip", ["link", "delete", tap], CancellationToken.None);
            }
        }
    }

    [Fact]
    public async Task ATripleFaultIsACrashThatNamesTheFailingInstruction()
    {
        RequireKvmAndGuests();
        if (!HostFacts.HardwareKvm)
        {
            // Measured on a lent machine's kvm_pvm (2026-11-26): the boot sector runs, and its triple fault never
            // leaves KVM_RUN as a shutdown exit.
            Assert.Skip("KVM here is not hardware-assisted (kvm_intel/kvm_amd are not loaded); a software-emulated KVM does not report a triple fault");
        }

        var ct = TestContext.Current.CancellationToken;
        var launch = Launch("triplefault");
        await using var session = await new NativeDeviceModel().StartAsync(launch, ct);
        await session.ResumeAsync(ct);
        var crash = await NextEventAsync(session, DeviceModelEventKind.Crashed, launch.Paths);
        Assert.Contains("triple fault at RIP", crash.Detail, StringComparison.Ordinal);
        Assert.Equal("internal-error", (await session.QueryStatusAsync(ct)).RunState);
        Assert.True(session.Process.IsAlive);
        await session.KillAsync(TimeSpan.FromSeconds(5), ct);
    }
}
