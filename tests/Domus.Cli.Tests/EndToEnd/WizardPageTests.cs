using System.Net;
using Domus.Tests.Screens;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Domus.Cli.Tests.EndToEnd;

/// <summary>
/// The new-domain wizard, the images page and the task log in Debian's Chromium: a domain made in the page is a
/// configuration file <c>domus create -n</c> accepts; started from the page it runs, and the list shuts it down; wrong
/// fields are shown beside themselves and nothing is written. Screenshots of each page at both widths go to artifacts/web.
/// </summary>
[Collection(EndToEndGroup.Name)]
public sealed class WizardPageTests(DemoImageFixture demo)
{
    private static readonly TimeSpan Boot = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task TheWizardWritesAConfigurationStartsItAndTheListShutsItDown()
    {
        EndToEndEnvironment.RequireQemu();
        WebBrowser.RequireChromium();
        var port = EndToEndEnvironment.FreePort();
        await using var domus = new DomusInstance(listen: new IPEndPoint(IPAddress.Loopback, port));
        Assert.Equal(0, domus.Domus("list").ExitCode);
        Directory.CreateDirectory(domus.Locations.ImageDirectory);
        File.Copy(demo.Image, Path.Combine(domus.Locations.ImageDirectory, "demo.img"));
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await WebBrowser.LaunchAsync(playwright);
        var page = await WebBrowser.DesktopPageAsync(browser);
        await page.GotoAsync($"http://127.0.0.1:{port}/");
        await page.GetByRole(AriaRole.Link, new() { Name = "New domain" }).First.ClickAsync();
        await Expect(page.Locator("#images option[value='demo.img']")).ToHaveCountAsync(1);
        await WebBrowser.SaveScreenshotsAsync(page, "new-domain");

        // A new qcow2 disk, not started: the file is written, and domus create -n accepts it.
        await page.GetByTestId("name").FillAsync("wiz1");
        await page.GetByTestId("disk-size").FillAsync("64M");
        await page.GetByTestId("start").UncheckAsync();
        await page.GetByTestId("create").ClickAsync();
        var config = Path.Combine(domus.Locations.ConfigDirectory, "wiz1.cfg");
        await Expect(page.GetByTestId("status")).ToContainTextAsync($"Wrote {config}");
        var checkedRun = domus.Domus("create", "-n", config);
        Assert.True(checkedRun.ExitCode == 0, checkedRun.Error);
        Assert.Contains($"\"target\": \"{Path.Combine(domus.Locations.ImageDirectory, "wiz1.qcow2")}\"", checkedRun.Out, StringComparison.Ordinal);

        // Wrong fields: each message beside its field, nothing written.
        var before = domus.ManagedFiles();
        await page.GetByTestId("disk-size").FillAsync("1P");
        await page.GetByTestId("create").ClickAsync();
        await Expect(page.GetByTestId("error-name")).ToContainTextAsync("already exists");
        await Expect(page.GetByTestId("error-disk_size")).ToContainTextAsync("does not fit");
        await Expect(page.GetByTestId("status")).ToContainTextAsync("Nothing was written");
        await page.GetByTestId("name").FillAsync("wiz2");
        await page.GetByTestId("disk-existing").CheckAsync();
        await page.GetByTestId("disk-path").FillAsync("/etc/passwd");
        await page.GetByTestId("create").ClickAsync();
        await Expect(page.GetByTestId("error-disk_path")).ToContainTextAsync("outside the image directory");
        await Expect(page.GetByTestId("error-name")).ToBeHiddenAsync();
        await WebBrowser.SaveScreenshotsAsync(page, "new-domain-errors");
        Assert.Equal(before, domus.ManagedFiles());

        // The demo disk, started from the wizard: it runs, shows in the list, and the list's button shuts it down.
        await page.GetByTestId("disk-path").FillAsync("demo.img");
        await page.GetByTestId("memory").FillAsync("256");
        await page.GetByTestId("start").CheckAsync();
        await page.GetByTestId("create").ClickAsync();
        await Expect(page.GetByTestId("status")).ToContainTextAsync("wiz2 is running", new() { Timeout = 30_000 });
        Assert.Equal(0, domus.Domus("create", "-n", "wiz2").ExitCode);
        await using (var console = new GuestConsole(await domus.Client.ConnectConsoleAsync("wiz2", history: true)))
        {
            await console.WaitForAsync("domus-demo# ", Boot);
        }

        // Its page: the graphical console holds what the domain's screenshot holds; the serial console answers.
        await page.GetByRole(AriaRole.Link, new() { Name = "Domains" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "wiz2" }).ClickAsync();
        await Expect(page.Locator("#screen-status")).ToContainTextAsync("Connected", new() { Timeout = 10_000 });
        var screenshot = PngImage.Read(await domus.Client.ScreenshotAsync("wiz2", TestContext.Current.CancellationToken));
        var canvas = page.Locator("[data-testid='screen'] canvas");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        (int Width, int Height, uint[] Pixels) drawn;
        do
        {
            drawn = await WebBrowser.CanvasAsync(canvas);
        }
        while (!drawn.Pixels.SequenceEqual(screenshot.Pixels) && DateTime.UtcNow < deadline);
        Assert.Equal(screenshot.Pixels, drawn.Pixels);
        Assert.Contains(drawn.Pixels, pixel => pixel != 0);
        var terminal = page.Locator(".xterm-rows");
        await page.Locator(".xterm-helper-textarea").FocusAsync();
        await page.Keyboard.TypeAsync("echo wiz-$((6*7))");
        await page.Keyboard.PressAsync("Enter");
        await Expect(terminal).ToContainTextAsync("wiz-42", new() { Timeout = 30_000 });
        await WebBrowser.SaveScreenshotsAsync(page, "wizard-domain");

        // The list's button shuts it down: the guest powers off (on_poweroff = destroy) and leaves the list.
        await page.GetByRole(AriaRole.Link, new() { Name = "Domains" }).ClickAsync();
        var row = page.Locator("[data-testid='domain-wiz2']");
        await Expect(row.Locator("[data-testid='state']")).ToHaveTextAsync("running");
        await row.Locator("[data-testid='shutdown']").ClickAsync();
        await Expect(row).ToHaveCountAsync(0, new() { Timeout = 30_000 });

        Assert.True(File.Exists(Path.Combine(domus.Locations.ConfigDirectory, "wiz2.cfg")));

        // The list's configurations: the file written without starting starts from there (its empty disk boots to the BIOS).
        var stopped = page.Locator("[data-testid='config-wiz1']");
        await Expect(stopped).ToContainTextAsync("ready");
        await Expect(page.Locator("[data-testid='config-wiz2']")).ToContainTextAsync("ready");
        await stopped.GetByTestId("start").ClickAsync();
        var started = page.Locator("[data-testid='domain-wiz1']");
        await Expect(started.Locator("[data-testid='state']")).ToHaveTextAsync("running");
        await Expect(stopped).ToContainTextAsync("a domain of this name is there", new() { Timeout = 5_000 });
        await WebBrowser.SaveScreenshotsAsync(page, "domains-and-configurations");
        await started.Locator("[data-testid='destroy']").ClickAsync();
        await page.Locator("[data-testid='confirm-ok']").ClickAsync();
        await Expect(started).ToHaveCountAsync(0);
        await page.GetByRole(AriaRole.Link, new() { Name = "Tasks" }).ClickAsync();
        await Expect(page.Locator("[data-testid='tasks'] tbody tr").First.GetByTestId("action")).ToHaveTextAsync("domain.destroy");
        await Expect(page.Locator("[data-testid='tasks'] tbody tr").Nth(1).GetByTestId("action")).ToHaveTextAsync("config.start");
        await Expect(page.Locator("[data-testid='tasks'] tbody tr").Nth(2).GetByTestId("action")).ToHaveTextAsync("domain.shutdown");
        await Expect(page.GetByTestId("tasks")).ToContainTextAsync("outside the image directory");
        await WebBrowser.SaveScreenshotsAsync(page, "tasks");
    }

    [Fact]
    public async Task TheImagesPageMakesImagesAndDeletesThoseNoDomainUses()
    {
        EndToEndEnvironment.RequireQemu();
        WebBrowser.RequireChromium();
        var port = EndToEndEnvironment.FreePort();
        await using var domus = new DomusInstance(listen: new IPEndPoint(IPAddress.Loopback, port));
        Assert.Equal(0, domus.Domus("list").ExitCode);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await WebBrowser.LaunchAsync(playwright);
        var page = await WebBrowser.DesktopPageAsync(browser);
        await page.GotoAsync($"http://127.0.0.1:{port}/images.html");
        await Expect(page.GetByText("No images yet.")).ToBeVisibleAsync();

        await page.GetByTestId("image-name").FillAsync("../escape");
        await page.GetByTestId("image-size").FillAsync("1P");
        await page.GetByTestId("create").ClickAsync();
        await Expect(page.GetByTestId("error-name")).ToContainTextAsync("not an image name");
        await Expect(page.GetByTestId("error-size")).ToContainTextAsync("does not fit");
        Assert.False(Directory.Exists(domus.Locations.ImageDirectory) && Directory.EnumerateFileSystemEntries(domus.Locations.ImageDirectory).Any());

        foreach (var (name, format) in new[] { ("spare.qcow2", "qcow2"), ("used.img", "raw") })
        {
            await page.GetByTestId("image-name").FillAsync(name);
            await page.GetByTestId("image-format").SelectOptionAsync(format);
            await page.GetByTestId("image-size").FillAsync("32M");
            await page.GetByTestId("create").ClickAsync();
            await Expect(page.GetByTestId("create-status")).ToHaveTextAsync($"Made {name}.");
            await Expect(page.GetByTestId("error-name")).ToBeHiddenAsync();
        }

        var used = page.Locator("[data-testid='image-used.img']");
        await Expect(used).ToContainTextAsync("32 MiB");
        var created = domus.Domus("create", "-p", EndToEndEnvironment.DemoConfig, $"disk=['file:{Path.Combine(domus.Locations.ImageDirectory, "used.img")},hda,w']", "name=holder");
        Assert.True(created.ExitCode == 0, created.Error);
        await Expect(used.GetByTestId("used-by")).ToHaveTextAsync("holder", new() { Timeout = 5_000 });
        await WebBrowser.SaveScreenshotsAsync(page, "images");

        await used.GetByTestId("delete").ClickAsync();
        await page.GetByTestId("confirm-ok").ClickAsync();
        await Expect(page.GetByTestId("status")).ToContainTextAsync("used.img was not deleted: image used.img is in use by holder");
        Assert.True(File.Exists(Path.Combine(domus.Locations.ImageDirectory, "used.img")));

        var spare = page.Locator("[data-testid='image-spare.qcow2']");
        await spare.GetByTestId("delete").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Expect(spare).ToBeVisibleAsync();
        await spare.GetByTestId("delete").ClickAsync();
        await page.GetByTestId("confirm-ok").ClickAsync();
        await Expect(spare).ToHaveCountAsync(0);
        Assert.False(File.Exists(Path.Combine(domus.Locations.ImageDirectory, "spare.qcow2")));
        Assert.Equal(0, domus.Domus("destroy", "holder").ExitCode);
    }
}
