using System.Diagnostics;
using Domus.DeviceModels.Qemu;
using Domus.Platform;

namespace Domus.DeviceModels.Tests.Qemu;

/// <summary>The QEMU device model against the real QEMU: start paused, drive over QMP, see it end.</summary>
public sealed class QemuDeviceModelTests : IDisposable
{
    private static readonly TimeSpan EventTimeout = TimeSpan.FromSeconds(30);
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("domus-qemu-");

    public void Dispose()
    {
        LeftoverProcesses.KillUnder(_directory.FullName);
        _directory.Delete(recursive: true);
    }

    private DeviceModelLaunch Launch(string config, string runtimeDirectory = "run")
    {
        var launch = Launches.From(config, Path.Combine(_directory.FullName, runtimeDirectory));
        launch.Paths.Create();
        return launch;
    }

    private static async Task<DeviceModelEvent> NextEventAsync(IDeviceModelSession session, DeviceModelEventKind kind)
    {
        using var timeout = new CancellationTokenSource(EventTimeout);
        await foreach (var e in session.Events.ReadAllAsync(timeout.Token))
        {
            if (e.Kind == kind)
            {
                return e;
            }
        }

        throw new InvalidOperationException($"the events ended without {kind}");
    }

    [Fact]
    public async Task StartsPausedThenRunsPausesRestartsAndQuits()
    {
        RequiresQemu.Check();
        var ct = TestContext.Current.CancellationToken;
        await using var session = await new QemuDeviceModel().StartAsync(Launch("memory = 32\nserial = 'pty'\nvnc = 0\nboot = 'c'"), ct);
        Assert.True(session.Process.IsAlive);
        var status = await session.QueryStatusAsync(ct);
        Assert.False(status.Running);
        Assert.Equal("prelaunch", status.RunState);

        await session.ResumeAsync(ct);
        status = await session.QueryStatusAsync(ct);
        Assert.True(status.Running, status.RunState);
        var thread = Assert.Single(status.VcpuThreads);
        Assert.NotNull(ProcessIdentity.ReadStatFields(session.Process.Pid, thread));

        await session.PauseAsync(ct);
        Assert.Equal("paused", (await session.QueryStatusAsync(ct)).RunState);
        await session.RestartAsync(ct);
        var afterRestart = await session.QueryStatusAsync(ct);
        Assert.True(afterRestart.Running, afterRestart.RunState);

        await session.KillAsync(TimeSpan.FromSeconds(5), ct);
        Assert.False(session.Process.IsAlive);
        await NextEventAsync(session, DeviceModelEventKind.Exited);
    }

    /// <summary>A copy of the boot sector that triple-faults at once: under QEMU, a guest that reboots as soon as it starts.</summary>
    private string RebootingGuest()
    {
        var guest = Path.Combine(AppContext.BaseDirectory, "guests", "triplefault.bin");
        if (!File.Exists(guest))
        {
            Assert.Skip("the test guests were not assembled: nasm is not installed (scripts/test.sh installs it)");
        }

        var image = Path.Combine(_directory.FullName, "triplefault.img");
        File.Copy(guest, image);
        return image;
    }

    [Fact]
    public async Task WithOnRebootRestartQemuResetsTheGuestItselfAndOneRebootIsOneEvent()
    {
        RequiresQemu.Check();
        var ct = TestContext.Current.CancellationToken;
        var image = RebootingGuest();
        await using var session = await new QemuDeviceModel().StartAsync(Launch($"memory = 32\nvnc = 0\nboot = 'c'\ndisk = ['{image},,hda,r']\non_reboot = 'restart'"), ct);
        Assert.True(session.RebootsInPlace);
        await session.ResumeAsync(ct);

        // Each boot ends in a reset, and SeaBIOS resets once more to restore its shadowed copy: many resets a
        // second, of which at most one a second is the guest's own reboot.
        var window = TimeSpan.FromSeconds(3);
        var reboots = new List<DeviceModelEvent>();
        using (var end = CancellationTokenSource.CreateLinkedTokenSource(ct))
        {
            end.CancelAfter(window);
            try
            {
                await foreach (var e in session.Events.ReadAllAsync(end.Token))
                {
                    if (e.Kind == DeviceModelEventKind.RebootedInPlace)
                    {
                        reboots.Add(e);
                    }
                }
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                // The window is over.
            }
        }

        // The window ended by its timer, not because the session did (a timer may fire a tick before a stopwatch says so).
        Assert.False(session.Events.Completion.IsCompleted, "QEMU's session ended within the window");
        Assert.InRange(reboots.Count, 1, 3);
        Assert.All(reboots, e => Assert.Equal("the guest rebooted", e.Detail));
        Assert.True((await session.QueryStatusAsync(ct)).Running);
        await session.KillAsync(TimeSpan.FromSeconds(5), ct);
    }

    [Fact]
    public async Task WithAnyOtherOnRebootQemuStopsForDomusdAndCannotResetInPlace()
    {
        RequiresQemu.Check();
        var ct = TestContext.Current.CancellationToken;
        var image = RebootingGuest();
        await using var session = await new QemuDeviceModel().StartAsync(Launch($"memory = 32\nvnc = 0\nboot = 'c'\ndisk = ['{image},,hda,r']\non_reboot = 'destroy'"), ct);
        Assert.False(session.RebootsInPlace);
        await session.ResumeAsync(ct);
        var rebooted = await NextEventAsync(session, DeviceModelEventKind.Rebooted);
        Assert.Equal("the guest rebooted", rebooted.Detail);
        Assert.Equal("shutdown", (await session.QueryStatusAsync(ct)).RunState);
        await Assert.ThrowsAsync<InvalidOperationException>(() => session.RestartAsync(ct));
        await session.KillAsync(TimeSpan.FromSeconds(5), ct);
    }

    [Fact]
    public async Task AKilledQemuIsReportedAsEndedUnexpectedly()
    {
        RequiresQemu.Check();
        var ct = TestContext.Current.CancellationToken;
        await using var session = await new QemuDeviceModel().StartAsync(Launch("memory = 32\nvnc = 0"), ct);
        Process.GetProcessById(session.Process.Pid).Kill();
        var exited = await NextEventAsync(session, DeviceModelEventKind.Exited);
        Assert.Equal($"the device model, QEMU (pid {session.Process.Pid}), ended unexpectedly", exited.Detail);
    }

    [Fact]
    public async Task ASecondSessionAttachesToARunningQemu()
    {
        RequiresQemu.Check();
        var ct = TestContext.Current.CancellationToken;
        var model = new QemuDeviceModel();
        var launch = Launch("memory = 32\nvnc = 0");
        var first = await model.StartAsync(launch, ct);
        await first.DisposeAsync();
        Assert.True(first.Process.IsAlive, "closing a session leaves QEMU running");
        await using var second = await model.AttachAsync(first.Process, launch.Config, launch.Paths, ct);
        Assert.Equal("prelaunch", (await second.QueryStatusAsync(ct)).RunState);
        await second.KillAsync(TimeSpan.FromSeconds(5), ct);
    }

    [Fact]
    public async Task QemuAcceptsTheWholeMachineDomusBuilds()
    {
        RequiresQemu.Check();
        var ct = TestContext.Current.CancellationToken;
        var images = _directory.FullName;
        var raw = Path.Combine(images, "disk,with,commas.img");
        await File.WriteAllBytesAsync(raw, new byte[1024 * 1024], ct);
        var virtio = Path.Combine(images, "virtio.img");
        await File.WriteAllBytesAsync(virtio, new byte[1024 * 1024], ct);
        var scsi = Path.Combine(images, "scsi.img");
        await File.WriteAllBytesAsync(scsi, new byte[1024 * 1024], ct);
        var qcow2 = Path.Combine(images, "disk.qcow2");
        var (exit, output) = await HostCommand.RunAsync("qemu-img", ["create", "-q", "-f", "qcow2", qcow2, "16M"], ct);
        Assert.True(exit == 0, output);
        var launch = Launch($"""
            name = "every,device"
            memory = 64
            vcpus = 2
            disk = [ 'vdev=hda, target={raw}', 'format=qcow2, vdev=hdb, access=r, target={qcow2}', ',hdc:cdrom,r', 'vdev=vda, target={virtio}', 'vdev=sda, access=ro, target={scsi}' ]
            serial = [ 'pty', 'file:{images}/com2.log', 'null' ]
            vnc = 1
            vnclisten = '127.0.0.1'
            vncpasswd = 'secret'
            keymap = 'de'
            stdvga = 1
            usbdevice = [ 'tablet', 'keyboard' ]
            soundhw = 'sb16,es1370,ac97,hda,pcspk'
            localtime = 1
            rtc_timeoffset = -3600
            acpi = 1
            boot = 'dc'
            """);
        await using var session = await new QemuDeviceModel().StartAsync(launch, ct);
        var port = await session.QueryVncPortAsync(ct);
        Assert.InRange(port ?? 0, 5900, 5999);
        await session.KillAsync(TimeSpan.FromSeconds(5), ct);
    }

    [Fact]
    public async Task AQemuThatReleasedItsDisksLetsAnotherOpenThemForWritingAndKeepsRunning()
    {
        RequiresQemu.Check();
        var ct = TestContext.Current.CancellationToken;
        var image = Path.Combine(_directory.FullName, "shared.img");
        await File.WriteAllBytesAsync(image, new byte[1024 * 1024], ct);
        var config = $"memory = 32\nvnc = 0\ndisk = ['{image},,hda,w', ',hdc:cdrom,r']";
        await using var first = await new QemuDeviceModel().StartAsync(Launch(config, "first"), ct);
        await first.ReleaseDisksAsync(ct);
        await first.ReleaseDisksAsync(ct);

        await using var second = await new QemuDeviceModel().StartAsync(Launch(config, "second"), ct);
        Assert.Equal("prelaunch", (await first.QueryStatusAsync(ct)).RunState);
        await second.KillAsync(TimeSpan.FromSeconds(5), ct);
        await first.KillAsync(TimeSpan.FromSeconds(5), ct);
    }

    [Fact]
    public async Task AFailureAfterQemuDaemonizedEndsThatQemuAndRemovesItsFiles()
    {
        RequiresQemu.Check();

        // QEMU refuses a VNC password when it serves no VNC: the last step of the start fails, after QEMU daemonized.
        var launch = Launch("memory = 32\nserial = 'pty'\nvnc = 0\nvncpasswd = 'secret'");
        var e = await Assert.ThrowsAsync<DeviceModelException>(() => new QemuDeviceModel().StartAsync(launch, TestContext.Current.CancellationToken));
        Assert.Contains("set_password", e.Message, StringComparison.Ordinal);
        Assert.Empty(LeftoverProcesses.Under(_directory.FullName));
        Assert.Empty(Directory.GetFileSystemEntries(launch.Paths.RuntimeDirectory));
    }

    [Fact]
    public async Task QemuRefusingToStartIsAnErrorWithItsMessage()
    {
        RequiresQemu.Check();
        var launch = Launch("memory = 32\nvnc = 0\ndisk = ['/nonexistent/disk.img,,hda']");
        var e = await Assert.ThrowsAsync<DeviceModelException>(() => new QemuDeviceModel().StartAsync(launch, TestContext.Current.CancellationToken));
        Assert.StartsWith("QEMU failed to start: ", e.Message, StringComparison.Ordinal);
        Assert.Contains("/nonexistent/disk.img", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMissingQemuIsNamed()
    {
        var launch = Launch("memory = 32");
        var e = await Assert.ThrowsAsync<DeviceModelException>(() => new QemuDeviceModel("qemu-system-nonexistent").StartAsync(launch, TestContext.Current.CancellationToken));
        Assert.Equal("QEMU is not installed: 'qemu-system-nonexistent' is not on PATH (Debian: apt-get install qemu-system-x86)", e.Message);
    }
}
