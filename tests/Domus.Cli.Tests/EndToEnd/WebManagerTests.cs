using System.Net;
using Domus.Tests.Screens;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Domus.Cli.Tests.EndToEnd;

/// <summary>
/// The web manager in Debian's Chromium, driven by Playwright, against a real domusd serving it on loopback: the
/// domain list follows what the command line does within a second, and its buttons act on the domains. Screenshots
/// of the page at desktop and phone widths go to artifacts/ (ignored by git).
/// </summary>
[Collection(EndToEndGroup.Name)]
public sealed class WebManagerTests(DemoImageFixture demo)
{
    private const string Chromium = "/usr/lib/chromium/chromium";
    private static readonly LocatorAssertionsToBeVisibleOptions WithinASecond = new() { Timeout = 1500 };

    [Fact]
    public async Task TheListFollowsTheDomainsAndItsButtonsActOnThem()
    {
        EndToEndEnvironment.RequireQemu();
        RequireChromium();
        var port = EndToEndEnvironment.FreePort();
        await using var domus = new DomusInstance(listen: new IPEndPoint(IPAddress.Loopback, port));
        Assert.Equal(0, domus.Domus("list").ExitCode);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Args = ["--no-sandbox"] });
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 800 } });
        await page.GotoAsync($"http://127.0.0.1:{port}/");
        await Expect(page.GetByText("No domains")).ToBeVisibleAsync();

        // Made elsewhere: the command line creates a domain, paused; the page shows it within a second.
        var created = domus.Domus("create", "-p", EndToEndEnvironment.DemoConfig, $"disk=['{demo.ReadOnlyDisk}']", "name=web1");
        Assert.True(created.ExitCode == 0, created.Error);
        var row = page.Locator("[data-testid='domain-web1']");
        await Expect(row).ToBeVisibleAsync(WithinASecond);
        await Expect(row.Locator("[data-testid='state']")).ToHaveTextAsync("paused");
        await Expect(row).ToContainTextAsync("256 MiB");

        await row.Locator("[data-testid='unpause']").ClickAsync();
        await Expect(row.Locator("[data-testid='state']")).ToHaveTextAsync("running");
        Assert.Equal("running", (await domus.Client.GetAsync("web1", TestContext.Current.CancellationToken)).Domain.Status);
        await row.Locator("[data-testid='pause']").ClickAsync();
        await Expect(row.Locator("[data-testid='state']")).ToHaveTextAsync("paused");

        await SaveScreenshotsAsync(page, "domains");

        // Destroy asks first; cancelling keeps the domain.
        await row.Locator("[data-testid='destroy']").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Expect(row).ToBeVisibleAsync();
        await row.Locator("[data-testid='destroy']").ClickAsync();
        await page.Locator("[data-testid='confirm-ok']").ClickAsync();
        await Expect(row).ToHaveCountAsync(0);
        Assert.Empty(await domus.Client.ListAsync(TestContext.Current.CancellationToken));

        // Ended elsewhere: a domain the command line destroys leaves the page within a second.
        Assert.Equal(0, domus.Domus("create", "-p", EndToEndEnvironment.DemoConfig, $"disk=['{demo.ReadOnlyDisk}']", "name=web2").ExitCode);
        var other = page.Locator("[data-testid='domain-web2']");
        await Expect(other).ToBeVisibleAsync(WithinASecond);
        Assert.Equal(0, domus.Domus("destroy", "web2").ExitCode);
        await Expect(other).ToHaveCountAsync(0, new() { Timeout = 1500 });
    }

    [Fact]
    public async Task TheSerialConsoleInThePageShowsTheGuestAndTakesWhatIsTyped()
    {
        EndToEndEnvironment.RequireQemu();
        RequireChromium();
        var port = EndToEndEnvironment.FreePort();
        await using var domus = new DomusInstance(listen: new IPEndPoint(IPAddress.Loopback, port));
        var (_, console) = await domus.StartDemoAsync(demo.ReadOnlyDisk, "term1");
        await console.DisposeAsync();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Args = ["--no-sandbox"] });
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 800 } });
        await page.GotoAsync($"http://127.0.0.1:{port}/");
        await page.GetByRole(AriaRole.Link, new() { Name = "term1" }).ClickAsync();
        await Expect(page.GetByTestId("summary")).ToContainTextAsync("id ");

        var screen = page.Locator(".xterm-rows");
        await Expect(screen).ToContainTextAsync(Domus.Images.DemoGuest.InitMessage, new() { Timeout = 90_000 });
        await page.Locator(".xterm-helper-textarea").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await page.Keyboard.TypeAsync("echo web-$((6*7))");
        await page.Keyboard.PressAsync("Enter");
        await Expect(screen).ToContainTextAsync("web-42", new() { Timeout = 30_000 });
        await SaveScreenshotsAsync(page, "console");

        // Another site's page cannot open the console: the browser sends its origin, and domusd refuses it.
        var foreign = await browser.NewPageAsync();
        await foreign.RouteAsync("http://attacker.example/", route => route.FulfillAsync(new() { ContentType = "text/html", Body = "<p>attacker</p>" }));
        await foreign.GotoAsync("http://attacker.example/");
        var opened = await foreign.EvaluateAsync<bool>($$"""
            () => new Promise(resolve => {
                const socket = new WebSocket('ws://127.0.0.1:{{port}}/api/v1/domains/term1/console');
                socket.onopen = () => resolve(true);
                socket.onerror = () => resolve(false);
            })
            """);
        Assert.False(opened);
        Assert.Equal(0, domus.Domus("destroy", "term1").ExitCode);
    }

    [Fact]
    public async Task TheGraphicalConsoleShowsTheGuestsScreenAndTakesItsKeys()
    {
        EndToEndEnvironment.RequireQemu();
        RequireChromium();
        var port = EndToEndEnvironment.FreePort();
        await using var domus = new DomusInstance(listen: new IPEndPoint(IPAddress.Loopback, port));
        var guest = Path.Combine(AppContext.BaseDirectory, "guests", "screen.bin");
        var (_, console) = await domus.StartDemoAsync($"file:{guest},hda,r", "gfx1", "vnc=1", "vncunused=1", "vnclisten='127.0.0.1'", "vga='stdvga'");
        await using (console)
        {
            await console.WaitForAsync("keys:", TimeSpan.FromSeconds(60));
            var screenshot = PngImage.Read(await domus.Client.ScreenshotAsync("gfx1", TestContext.Current.CancellationToken));
            using var playwright = await Playwright.CreateAsync();
            await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Args = ["--no-sandbox"] });
            var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 800 } });
            await page.GotoAsync($"http://127.0.0.1:{port}/domain.html?name=gfx1");
            var canvas = page.Locator("[data-testid='screen'] canvas");
            await Expect(page.Locator("#screen-status")).ToContainTextAsync("Connected", new() { Timeout = 10_000 });

            // The canvas holds what the screenshot holds, once noVNC has drawn the first full update.
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
            (int Width, int Height, uint[] Pixels) drawn;
            do
            {
                drawn = await CanvasAsync(canvas);
            }
            while (!drawn.Pixels.SequenceEqual(screenshot.Pixels) && DateTime.UtcNow < deadline);
            Assert.Equal((screenshot.Width, screenshot.Height), (drawn.Width, drawn.Height));
            Assert.Equal(screenshot.Pixels, drawn.Pixels);
            await SaveScreenshotsAsync(page, "screen");

            await canvas.ClickAsync();
            await page.Keyboard.TypeAsync("qw");
            await console.WaitForAsync("qw", TimeSpan.FromSeconds(30));
        }
    }

    /// <summary>A canvas's pixels as 0xRRGGBB, read in the page.</summary>
    private static async Task<(int Width, int Height, uint[] Pixels)> CanvasAsync(ILocator canvas)
    {
        var result = await canvas.EvaluateAsync<System.Text.Json.JsonElement>("""
            canvas => {
                const rgba = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
                let text = '';
                for (let i = 0; i < rgba.length; i += 0x8000) {
                    text += String.fromCharCode.apply(null, rgba.subarray(i, i + 0x8000));
                }
                return { width: canvas.width, height: canvas.height, data: btoa(text) };
            }
            """);
        var width = result.GetProperty("width").GetInt32();
        var height = result.GetProperty("height").GetInt32();
        var rgba = Convert.FromBase64String(result.GetProperty("data").GetString()!);
        var pixels = new uint[width * height];
        for (var i = 0; i < pixels.Length; i++)
        {
            pixels[i] = (uint)(rgba[4 * i] << 16 | rgba[(4 * i) + 1] << 8 | rgba[(4 * i) + 2]);
        }

        return (width, height, pixels);
    }

    private static void RequireChromium()
    {
        if (!File.Exists(Chromium))
        {
            Assert.Skip($"{Chromium} is not installed (scripts/debian-packages.sh test installs chromium)");
        }
    }

    /// <summary>The page at 1280×800 and at a phone's 390×844, under artifacts/ in the checkout.</summary>
    private static async Task SaveScreenshotsAsync(IPage page, string name)
    {
        var directory = Path.Combine(EndToEndEnvironment.RepositoryRoot, "artifacts", "web");
        Directory.CreateDirectory(directory);
        await page.ScreenshotAsync(new() { Path = Path.Combine(directory, $"{name}-1280x800.png"), FullPage = true });
        await page.SetViewportSizeAsync(390, 844);
        await page.ScreenshotAsync(new() { Path = Path.Combine(directory, $"{name}-390x844.png"), FullPage = true });
        await page.SetViewportSizeAsync(1280, 800);
    }
}
