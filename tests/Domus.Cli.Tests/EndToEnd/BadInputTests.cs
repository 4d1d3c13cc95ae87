namespace Domus.Cli.Tests.EndToEnd;

/// <summary>
/// Domains that cannot start are refused before anything starts: one clear line on stderr, exit code 1, and
/// no device model, tap, directory or record left behind.
/// </summary>
[Collection(EndToEndGroup.Name)]
public sealed class BadInputTests(DemoImageFixture demo) : IDisposable
{
    private readonly DirectoryInfo _files = Directory.CreateTempSubdirectory("domus-bad-");

    public void Dispose() => _files.Delete(recursive: true);

    [Fact]
    public async Task EachBadDomainIsRefusedWithItsReasonAndLeavesNothing()
    {
        EndToEndEnvironment.RequireQemu();
        await using var domus = new DomusInstance();
        var garbage = Path.Combine(_files.FullName, "garbage.qcow2");
        await File.WriteAllTextAsync(garbage, "this is not a qcow2 image", TestContext.Current.CancellationToken);
        var overlay = Path.Combine(_files.FullName, "overlay.qcow2");
        var qemuImg = System.Diagnostics.Process.Start("qemu-img", ["create", "-q", "-f", "qcow2", "-F", "raw", "-b", demo.Image, overlay])!;
        await qemuImg.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.Equal(0, qemuImg.ExitCode);
        var existing = domus.Domus("create", "-p", EndToEndEnvironment.DemoConfig, $"disk=['{demo.ReadOnlyDisk}']", "name=taken");
        Assert.True(existing.ExitCode == 0, existing.Error);
        var takenId = (await domus.Client.GetAsync("taken")).Domain.Id;
        var qemusBefore = domus.QemuPids();

        (string[] Overrides, string Error)[] cases =
        [
            (["disk=['file:/nonexistent/winxp.img,hda,w']"], "disk hda: /nonexistent/winxp.img does not exist"),
            ([$"disk=['tap:qcow2:{garbage},hda,w']"], $"disk hda: {garbage} is not a qcow2 image (format = qcow2)"),
            ([$"disk=['file:{_files.FullName},hda,w']"], $"disk hda: {_files.FullName} is a directory, not an image"),
            (["name=taken"], $"a domain named 'taken' already exists (id {takenId})"),
            (["memory=16777216"], "memory = 16777216 MiB is more than this host has"),
            (["vif=['bridge=nosuchbr0']"], "vif 0: bridge 'nosuchbr0' does not exist on this host"),
            (["device_model_override=/opt/nowhere/qemu-system-x86_64"], "QEMU is not installed: /opt/nowhere/qemu-system-x86_64 does not exist"),
            (["device_model_version=native", $"disk=['tap:qcow2:{overlay},hda,w']"], "the image names a backing file; domus-dm reads self-contained images only"),
            (["device_model_version=native", "accel='tcg'"], "accel = \"tcg\": domus-dm runs guests on KVM only"),
            .. File.Exists("/dev/kvm") ? [] : new[] { (new[] { "device_model_version=native" }, "device_model_version = \"native\" needs KVM, and /dev/kvm does not exist on this host") },
        ];
        foreach (var (overrides, error) in cases)
        {
            var run = domus.Domus(["create", EndToEndEnvironment.DemoConfig, $"disk=['{demo.ReadOnlyDisk}']", "name=refused", .. overrides]);
            Assert.Equal(1, run.ExitCode);
            var lines = run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            var message = Assert.Single(lines, l => l.StartsWith("domus create: ", StringComparison.Ordinal));
            Assert.Contains(error, message, StringComparison.Ordinal);
            Assert.Equal(string.Empty, run.Out);
        }

        Assert.Equal(["taken"], (await domus.Client.ListAsync()).Select(d => d.Name));
        Assert.Equal(qemusBefore, domus.QemuPids());
        Assert.Equal([takenId.ToString(System.Globalization.CultureInfo.InvariantCulture)], Directory.GetDirectories(Path.Combine(domus.Home, "domains")).Select(Path.GetFileName));
        Assert.Equal([takenId.ToString(System.Globalization.CultureInfo.InvariantCulture)], Directory.GetDirectories(Path.Combine(domus.Home, "run", "domains")).Select(Path.GetFileName));
        Assert.DoesNotContain(Directory.GetDirectories("/sys/class/net"), n => Path.GetFileName(n).StartsWith($"vif{takenId + 1}.", StringComparison.Ordinal));
        Assert.Equal(0, domus.Domus("destroy", "taken").ExitCode);
    }

    [Fact]
    public async Task AConfigurationErrorNeverReachesDomusd()
    {
        await using var domus = new DomusInstance();
        var run = domus.Domus("create", EndToEndEnvironment.DemoConfig, "memory=lots");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("command line 'memory=lots':1:8: memory: expected a number, got a string 'lots'", run.Error, StringComparison.Ordinal);
        Assert.Null(domus.DaemonPid());
    }
}
