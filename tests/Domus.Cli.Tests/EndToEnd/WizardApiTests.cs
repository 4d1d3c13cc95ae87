using System.Net;
using System.Text.Json;
using Domus.Api;

namespace Domus.Cli.Tests.EndToEnd;

/// <summary>
/// The new-domain wizard's API and the image API against a real domusd: a good form writes a configuration that
/// <c>domus create -n</c> accepts; a bad one is answered field by field and leaves the directories as they were.
/// </summary>
[Collection(EndToEndGroup.Name)]
public sealed class WizardApiTests
{
    private const string QemuImg = "/usr/bin/qemu-img";

    [Fact]
    public async Task AGoodFormWritesAConfigurationDomusCreateAccepts()
    {
        RequireQemuImg();
        await using var domus = Started();
        var result = await domus.Client.CreateConfigAsync(new NewDomainRequest { Name = "api1", Os = "windows", DiskSize = "64M", NicModel = "rtl8139", VncPassword = "se\"cr\\t" }, Cancellation);

        var path = Path.Combine(domus.Locations.ConfigDirectory, "api1.cfg");
        Assert.Equal(new NewDomainResult("api1", path, null, null), result);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(["api1.cfg"], Directory.GetFiles(domus.Locations.ConfigDirectory).Select(Path.GetFileName));
        var checkedRun = domus.Domus("create", "-n", path);
        Assert.True(checkedRun.ExitCode == 0, checkedRun.Error);
        using var json = JsonDocument.Parse(checkedRun.Out);
        var disk = json.RootElement.GetProperty("disks")[0];
        Assert.Equal((Path.Combine(domus.Locations.ImageDirectory, "api1.qcow2"), "qcow2"), (disk.GetProperty("target").GetString(), disk.GetProperty("format").GetString()));
        Assert.True(json.RootElement.GetProperty("localtime").GetBoolean());
        var image = Assert.Single(await domus.Client.ImagesAsync(Cancellation));
        Assert.Equal(("api1.qcow2", "qcow2", 64L << 20), (image.Name, image.Format, image.SizeBytes));

        // A bare name finds the file in the managed directory, as xm looked in /etc/xen.
        Assert.Equal(0, domus.Domus("create", "-n", "api1").ExitCode);
        Assert.Equal(["api1"], (await domus.Client.ConfigsAsync(Cancellation)).Select(c => c.Name));
        var task = (await domus.Client.TasksAsync(Cancellation))[0];
        Assert.Equal(("config.create", "api1", "local socket", "done", 100), (task.Action, task.Target, task.Who, task.Outcome, task.Progress));
    }

    [Fact]
    public async Task ABadFormIsAnsweredFieldByFieldAndNothingIsWritten()
    {
        RequireQemuImg();
        await using var domus = Started();
        await domus.Client.CreateConfigAsync(new NewDomainRequest { Name = "taken", DiskSize = "1M" }, Cancellation);
        File.CreateSymbolicLink(Path.Combine(domus.Locations.ImageDirectory, "link.img"), "/etc/passwd");

        // What a guest can write into its raw disk: a qcow2 header naming a backing file (here at offset 0x200).
        var rigged = new byte[1024];
        byte[] magic = [(byte)'Q', (byte)'F', (byte)'I', 0xFB];
        magic.CopyTo(rigged, 0);
        rigged[7] = 3;
        rigged[15] = 0x02;
        File.WriteAllBytes(Path.Combine(domus.Locations.ImageDirectory, "rigged.img"), rigged);
        var before = domus.ManagedFiles();

        var duplicate = await RefusedAsync(domus, new NewDomainRequest { Name = "taken", DiskSize = "1M" });
        Assert.Equal(HttpStatusCode.Conflict, duplicate.Status);
        Assert.Contains("a configuration named taken already exists", duplicate.Errors["name"], StringComparison.Ordinal);
        Assert.Contains("an image named taken.qcow2 already exists", duplicate.Errors["disk"], StringComparison.Ordinal);

        var outside = await RefusedAsync(domus, new NewDomainRequest { Name = "out", Disk = "existing", DiskPath = "/etc/passwd" });
        Assert.Equal(HttpStatusCode.BadRequest, outside.Status);
        Assert.Contains("outside the image directory", outside.Errors["disk_path"], StringComparison.Ordinal);
        var escaped = await RefusedAsync(domus, new NewDomainRequest { Name = "out", Disk = "existing", DiskPath = $"{domus.Locations.ImageDirectory}/../domus.db", Cdrom = "link.img" });
        Assert.Contains("outside the image directory", escaped.Errors["disk_path"], StringComparison.Ordinal);
        Assert.Contains("outside the image directory", escaped.Errors["cdrom"], StringComparison.Ordinal);

        var tooBig = await RefusedAsync(domus, new NewDomainRequest { Name = "big", DiskSize = "1P" });
        Assert.Contains("does not fit", tooBig.Errors["disk_size"], StringComparison.Ordinal);
        var huge = await RefusedAsync(domus, new NewDomainRequest { Name = "huge", DiskSize = "100000000000000P" });
        Assert.Contains("larger than any disk", huge.Errors["disk_size"], StringComparison.Ordinal);
        var backed = await RefusedAsync(domus, new NewDomainRequest { Name = "rig", Disk = "existing", DiskPath = "rigged.img" });
        Assert.Contains("rigged.img is a qcow2 image that names a backing file", backed.Errors["disk_path"], StringComparison.Ordinal);
        var control = await RefusedAsync(domus, new NewDomainRequest { Name = "nul", Disk = "existing", DiskPath = "a\0b" });
        Assert.Contains("no control characters", control.Errors["disk_path"], StringComparison.Ordinal);
        var newline = await RefusedAsync(domus, new NewDomainRequest { Name = "nl\n", DiskSize = "1M" });
        Assert.Contains("not a valid domain name", newline.Errors["name"], StringComparison.Ordinal);

        var many = await RefusedAsync(domus, new NewDomainRequest
        {
            Name = "-bad", Mode = "para", MemoryMib = 0, Vcpus = 0, DiskSize = "ten", Boot = "dx", Bridge = "no/such", NicModel = "e1000", DeviceModel = "native", VncPassword = "far too long",
        });
        Assert.Equal(
            ["boot", "bridge", "disk_size", "memory_mib", "mode", "name", "nic_model", "vcpus", "vnc_password"],
            many.Errors.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("hardware-virtualized", many.Errors["mode"], StringComparison.Ordinal);
        var nulls = await RefusedAsync(domus, new NewDomainRequest { Name = null!, Os = null!, Disk = null!, DiskSize = null });
        Assert.Equal([("disk_size", "'' is not a size: write a number and a unit, e.g. 512M or 20G"), ("name", "the name is empty")], nulls.Errors.Select(e => (e.Key, e.Value)).Order());

        Assert.Equal(before, domus.ManagedFiles());
        var refusals = (await domus.Client.TasksAsync(Cancellation)).Take(10).ToList();
        Assert.All(refusals, t => Assert.Equal(("config.create", "local socket"), (t.Action, t.Who)));
        Assert.Contains(refusals, t => t.Outcome.Contains("disk_size: 1P does not fit", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CdromsMayComeFromADirectoryDomusdAllowsBesides()
    {
        var library = Directory.CreateTempSubdirectory("domus-iso-");
        try
        {
            await using var domus = Started("--image-dir", library.FullName);
            var iso = Path.Combine(library.FullName, "setup.iso");
            await File.WriteAllBytesAsync(iso, new byte[2048], Cancellation);
            var elsewhere = Path.Combine(domus.Home, "other.iso");
            await File.WriteAllBytesAsync(elsewhere, new byte[2048], Cancellation);

            var refused = await RefusedAsync(domus, new NewDomainRequest { Name = "cd", Disk = "none", Cdrom = elsewhere, Boot = "d" });
            Assert.Contains($"and those allowed besides ({library.FullName})", refused.Errors["cdrom"], StringComparison.Ordinal);
            var result = await domus.Client.CreateConfigAsync(new NewDomainRequest { Name = "cd", Disk = "none", Cdrom = iso, Boot = "d" }, Cancellation);
            var checkedRun = domus.Domus("create", "-n", result.Path);
            Assert.True(checkedRun.ExitCode == 0, checkedRun.Error);
            Assert.Contains($"\"target\": \"{iso}\"", checkedRun.Out, StringComparison.Ordinal);
        }
        finally
        {
            library.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task ImagesAreMadeAsTasksAndNotDeletedWhileADomainUsesThem()
    {
        RequireQemuImg();
        EndToEndEnvironment.RequireQemu();
        await using var domus = Started();
        var task = await domus.Client.CreateImageAsync(new CreateImageRequest("disk1.img", "raw", "16M"), Cancellation);
        Assert.Equal(("image.create", "disk1.img"), (task.Action, task.Target));
        Assert.Equal("done", (await EndedAsync(domus, task.Id)).Outcome);
        var image = Assert.Single(await domus.Client.ImagesAsync(Cancellation));
        Assert.Equal(("disk1.img", "raw", 16L << 20), (image.Name, image.Format, image.SizeBytes));
        Assert.Empty(image.UsedBy);

        var again = await Assert.ThrowsAsync<DomusApiException>(() => domus.Client.CreateImageAsync(new CreateImageRequest("disk1.img", "qcow2", "16M"), Cancellation));
        Assert.Equal(HttpStatusCode.Conflict, again.Status);
        Assert.Contains("already exists", again.Errors["name"], StringComparison.Ordinal);
        var bad = await Assert.ThrowsAsync<DomusApiException>(() => domus.Client.CreateImageAsync(new CreateImageRequest("-o", "vmdk", "1P"), Cancellation));
        Assert.Equal(["format", "name", "size"], bad.Errors.Keys.Order(StringComparer.Ordinal));

        var created = domus.Domus("create", "-p", EndToEndEnvironment.DemoConfig, $"disk=['file:{image.Path},hda,w']", "name=user1");
        Assert.True(created.ExitCode == 0, created.Error);
        Assert.Equal(["user1"], Assert.Single(await domus.Client.ImagesAsync(Cancellation)).UsedBy);
        var refused = await Assert.ThrowsAsync<DomusApiException>(() => domus.Client.DeleteImageAsync("disk1.img", Cancellation));
        Assert.Equal(HttpStatusCode.Conflict, refused.Status);
        Assert.Contains("in use by user1", refused.Message, StringComparison.Ordinal);
        Assert.True(File.Exists(image.Path));

        // The wizard writes a second domain on that image; it cannot start while the first holds the image, and the file stays.
        var second = await domus.Client.CreateConfigAsync(new NewDomainRequest { Name = "second", Disk = "existing", DiskPath = "disk1.img", Vnc = false, Start = true }, Cancellation);
        Assert.Null(second.Domain);
        Assert.Contains("lock", second.StartError, StringComparison.Ordinal);
        Assert.True(File.Exists(second.Path));
        Assert.Contains("written; the domain did not start", (await domus.Client.TasksAsync(Cancellation))[0].Outcome, StringComparison.Ordinal);

        // With its domain gone the image is still named by the configuration file the wizard wrote: kept until that goes.
        Assert.Equal(0, domus.Domus("destroy", "user1").ExitCode);
        Assert.Equal(["second.cfg"], Assert.Single(await domus.Client.ImagesAsync(Cancellation)).UsedBy);
        var named = await Assert.ThrowsAsync<DomusApiException>(() => domus.Client.DeleteImageAsync("disk1.img", Cancellation));
        Assert.Contains("in use by second.cfg", named.Message, StringComparison.Ordinal);
        File.Delete(second.Path);
        await domus.Client.DeleteImageAsync("disk1.img", Cancellation);
        Assert.Empty(await domus.Client.ImagesAsync(Cancellation));
        var log = await domus.Client.TasksAsync(Cancellation);
        Assert.Equal(
            [("image.delete", "done"), ("image.delete", named.Message), ("domain.destroy", "done"), ("config.create", second.Path + " written; the domain did not start: " + second.StartError), ("image.delete", refused.Message), ("domain.create", "done")],
            log.Take(6).Select(t => (t.Action, t.Outcome)));
    }

    [Fact]
    public async Task AnImageSwappedForALinkAfterTheWizardWroteItsConfigurationIsNotStarted()
    {
        RequireQemuImg();
        await using var domus = Started();
        var made = await domus.Client.CreateImageAsync(new CreateImageRequest("swap.img", "raw", "16M"), Cancellation);
        Assert.Equal("done", (await EndedAsync(domus, made.Id)).Outcome);
        await domus.Client.CreateConfigAsync(new NewDomainRequest { Name = "swap", Disk = "existing", DiskPath = "swap.img", Vnc = false }, Cancellation);

        // Checked when the file was written; a link in its place later is refused when the domain would start.
        var image = Path.Combine(domus.Locations.ImageDirectory, "swap.img");
        File.Delete(image);
        File.CreateSymbolicLink(image, "/etc/passwd");
        var refused = await Assert.ThrowsAsync<DomusApiException>(() => domus.Client.StartConfigAsync("swap", Cancellation));
        Assert.Contains($"{image} is now a link out of the image directories", refused.Message, StringComparison.Ordinal);
        Assert.Empty(await domus.Client.ListAsync(Cancellation));
    }

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private static DomusInstance Started(params string[] daemonArguments)
    {
        var domus = new DomusInstance(daemonArguments: daemonArguments);
        Assert.Equal(0, domus.Domus("list").ExitCode);
        Directory.CreateDirectory(domus.Locations.ImageDirectory);
        return domus;
    }

    private static async Task<DomusApiException> RefusedAsync(DomusInstance domus, NewDomainRequest request) =>
        await Assert.ThrowsAsync<DomusApiException>(() => domus.Client.CreateConfigAsync(request, Cancellation));

    private static async Task<TaskSummary> EndedAsync(DomusInstance domus, long id)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var task = await domus.Client.TaskAsync(id, Cancellation);
            if (task.Ended is not null || DateTime.UtcNow > deadline)
            {
                return task;
            }

            await Task.Delay(50, Cancellation);
        }
    }

    private static void RequireQemuImg()
    {
        if (!File.Exists(QemuImg))
        {
            Assert.Skip($"{QemuImg} is not installed (scripts/debian-packages.sh test installs qemu-utils)");
        }
    }
}
