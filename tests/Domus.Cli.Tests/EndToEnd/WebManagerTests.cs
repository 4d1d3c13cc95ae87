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
    private static readonly LocatorAssertionsToBeVisibleOptions WithinASecond = new() { Timeout = 1500 };

    [Fact]
    public async Task TheListFollowsTheDomainsAndItsButtonsActOnThem()
    {
        EndToEndEnvironment.RequireQemu();
        WebBrowser.RequireChromium();
        var port = EndToEndEnvironment.FreePort();
        await using var domus = new DomusInstance(listen: new IPEndPoint(IPAddress.Loopback, port));
        Assert.Equal(0, domus.Domus("list").ExitCode);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await WebBrowser.LaunchAsync(playwright);
        var page = await WebBrowser.DesktopPageAsync(browser);
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

        await WebBrowser.SaveScreenshotsAsync(page, "domains");

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
        WebBrowser.RequireChromium();
        var port = EndToEndEnvironment.FreePort();
        await using var domus = new DomusInstance(listen: new IPEndPoint(IPAddress.Loopback, port));
        var (_, console) = await domus.StartDemoAsync(demo.ReadOnlyDisk, "term1");
        await console.DisposeAsync();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await WebBrowser.LaunchAsync(playwright);
        var page = await WebBrowser.DesktopPageAsync(browser);
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

        // The graphs: domusd's readings of the running guest (QEMU's resident memory is tens of MiB), drawn.
        await Expect(page.GetByTestId("memory-now")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d+ MiB$"), new() { Timeout = 10_000 });
        using (var http = new HttpClient())
        {
            var samples = System.Text.Json.Nodes.JsonNode.Parse(await http.GetStringAsync($"http://127.0.0.1:{port}/api/v1/domains/term1/stats", TestContext.Current.CancellationToken))!.AsArray();
            Assert.NotEmpty(samples);
            Assert.All(samples, sample => Assert.InRange(sample!["resident_mib"]!.GetValue<double>(), 10, 4096));
            Assert.All(samples, sample => Assert.InRange(sample!["cpu_percent"]!.GetValue<double>(), 0, 100 * Environment.ProcessorCount));
        }

        var plotted = await page.EvaluateAsync<int>("""
            () => {
                const canvas = document.getElementById('memory-chart');
                const ratio = devicePixelRatio || 1;
                const top = Math.ceil(16 * ratio), bottom = canvas.height - Math.ceil(20 * ratio);
                const pixels = canvas.getContext('2d').getImageData(0, top, canvas.width, bottom - top).data;
                let opaque = 0;
                for (let i = 3; i < pixels.length; i += 4) { if (pixels[i] > 0) opaque++; }
                return opaque;
            }
            """);
        Assert.True(plotted > 0, "nothing was drawn in the memory graph's plot area");
        await WebBrowser.SaveScreenshotsAsync(page, "console");

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
        WebBrowser.RequireChromium();
        var port = EndToEndEnvironment.FreePort();
        await using var domus = new DomusInstance(listen: new IPEndPoint(IPAddress.Loopback, port));
        var guest = Path.Combine(AppContext.BaseDirectory, "guests", "screen.bin");
        var (_, console) = await domus.StartDemoAsync($"file:{guest},hda,r", "gfx1", "vnc=1", "vncunused=1", "vnclisten='127.0.0.1'", "vga='stdvga'");
        await using (console)
        {
            await console.WaitForAsync("keys:", TimeSpan.FromSeconds(60));
            var screenshot = PngImage.Read(await domus.Client.ScreenshotAsync("gfx1", TestContext.Current.CancellationToken));
            using var playwright = await Playwright.CreateAsync();
            await using var browser = await WebBrowser.LaunchAsync(playwright);
            var page = await WebBrowser.DesktopPageAsync(browser);
            await page.GotoAsync($"http://127.0.0.1:{port}/domain.html?name=gfx1");
            var canvas = page.Locator("[data-testid='screen'] canvas");
            await Expect(page.Locator("#screen-status")).ToContainTextAsync("Connected", new() { Timeout = 10_000 });

            // The canvas holds what the screenshot holds, once noVNC has drawn the first full update.
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
            (int Width, int Height, uint[] Pixels) drawn;
            do
            {
                drawn = await WebBrowser.CanvasAsync(canvas);
            }
            while (!drawn.Pixels.SequenceEqual(screenshot.Pixels) && DateTime.UtcNow < deadline);
            Assert.Equal((screenshot.Width, screenshot.Height), (drawn.Width, drawn.Height));
            Assert.Equal(screenshot.Pixels, drawn.Pixels);
            await WebBrowser.SaveScreenshotsAsync(page, "screen");

            await canvas.ClickAsync();
            await page.Keyboard.TypeAsync("qw");
            await console.WaitForAsync("qw", TimeSpan.FromSeconds(30));
        }
    }

    [Fact]
    public async Task TheDomainPageShowsItsConfigurationFileWithProblemsUnderTheirLines()
    {
        EndToEndEnvironment.RequireQemu();
        WebBrowser.RequireChromium();
        var port = EndToEndEnvironment.FreePort();
        await using var domus = new DomusInstance(listen: new IPEndPoint(IPAddress.Loopback, port));
        // domusd shows files of its managed directory only (the path comes from the client).
        Directory.CreateDirectory(domus.Locations.ConfigDirectory);
        var config = Path.Combine(domus.Locations.ConfigDirectory, "cfg1.hvm");
        File.Copy(EndToEndEnvironment.DemoConfig, config);
        var elsewhere = Path.Combine(domus.Home, "cfg2.hvm");
        File.Copy(EndToEndEnvironment.DemoConfig, elsewhere);
        Assert.Equal(0, domus.Domus("create", "-p", elsewhere, $"disk=['{demo.ReadOnlyDisk}']", "name=cfg2").ExitCode);
        var created = domus.Domus("create", "-p", config, $"disk=['{demo.ReadOnlyDisk}']", "name=cfg1");
        Assert.True(created.ExitCode == 0, created.Error);

        // Edited after the start: the page shows the file as it is now, the error under its line.
        var lines = File.ReadAllLines(config).Length;
        File.AppendAllText(config, "vcpus = 'many'\n");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await WebBrowser.LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 800 } });
        await page.GotoAsync($"http://127.0.0.1:{port}/domain.html?name=cfg1");
        var wrong = page.Locator("[data-testid='config'] li").Nth(lines);
        await Expect(wrong).ToContainTextAsync("vcpus = 'many'");
        await Expect(wrong).ToHaveClassAsync("has-error");
        await Expect(wrong.GetByTestId("config-problem")).ToContainTextAsync("vcpus");
        await Expect(page.GetByTestId("config-status")).ToContainTextAsync("1 problem(s)");
        Assert.Equal(1, await page.GetByTestId("config-problem").CountAsync());
        await Expect(page.Locator("[data-testid='config'] li").Nth(9)).ToHaveTextAsync("name = \"demo\"");
        await WebBrowser.SaveScreenshotsAsync(page, "domain");
        await page.GotoAsync($"http://127.0.0.1:{port}/domain.html?name=cfg2");
        await Expect(page.GetByTestId("config-problem")).ToContainTextAsync("not shown: domusd shows the files of its managed directory");
        await Expect(page.Locator("[data-testid='config'] li")).ToHaveCountAsync(0);
        Assert.Equal(0, domus.Domus("destroy", "cfg2").ExitCode);
        await page.GotoAsync($"http://127.0.0.1:{port}/domain.html?name=cfg1");

        // The page's own actions: unpause, then destroy after asking.
        await page.GetByTestId("actions").GetByTestId("unpause").ClickAsync();
        await Expect(page.GetByTestId("summary")).ToContainTextAsync("running");
        Assert.Equal("running", (await domus.Client.GetAsync("cfg1", TestContext.Current.CancellationToken)).Domain.Status);
        await page.GetByTestId("actions").GetByTestId("destroy").ClickAsync();
        await page.Locator("[data-testid='confirm-ok']").ClickAsync();
        await Expect(page.GetByTestId("summary")).ToHaveTextAsync("No such domain any more.");
        Assert.Empty(await domus.Client.ListAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task ABrowserOnAnotherHostLogsInWithTheTokenAndOnlyThen()
    {
        WebBrowser.RequireChromium();
        var address = EndToEndEnvironment.NonLoopbackAddress();
        var port = EndToEndEnvironment.FreePort();
        await using var domus = new DomusInstance(listen: new IPEndPoint(IPAddress.Any, port));
        Assert.Equal(0, domus.Domus("list").ExitCode);
        var token = (await File.ReadAllTextAsync(domus.Locations.ApiTokenFile, TestContext.Current.CancellationToken)).Trim();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await WebBrowser.LaunchAsync(playwright);
        var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 800 } });
        var page = await context.NewPageAsync();

        // The list's first API call is refused, and the page sends the browser to log in.
        var site = $"http://{address}:{port}";
        await page.GotoAsync($"{site}/");
        // The URL is polled rather than waited for with its load event, which a redirect racing the first load can miss.
        await Expect(page).ToHaveURLAsync($"{site}/login.html?next=%2F", new() { Timeout = 15_000 });
        await Expect(page.GetByTestId("token")).ToBeVisibleAsync();
        await page.GetByTestId("token").FillAsync(token + "x");
        await page.GetByTestId("log-in").ClickAsync();
        await Expect(page.GetByTestId("token-error")).ToContainTextAsync("not this domusd's API token");
        Assert.Empty(await context.CookiesAsync());
        await WebBrowser.SaveScreenshotsAsync(page, "login");

        await page.GetByTestId("token").FillAsync(token);
        await page.GetByTestId("log-in").ClickAsync();
        await Expect(page).ToHaveURLAsync($"{site}/", new() { Timeout = 15_000 });
        await Expect(page.GetByText("No domains")).ToBeVisibleAsync();
        var cookie = Assert.Single(await context.CookiesAsync());
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);
        Assert.Equal("", await page.EvaluateAsync<string>("() => document.cookie"));

        // The session is good for the API, from this site's pages only, and ends with logout.
        using var http = new HttpClient();
        HttpRequestMessage WithSession(HttpMethod method, string path, string? origin = null)
        {
            var request = new HttpRequestMessage(method, $"{site}{path}");
            request.Headers.Add("Cookie", $"{cookie.Name}={cookie.Value}");
            if (origin is not null)
            {
                request.Headers.Add("Origin", origin);
            }

            return request;
        }

        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(WithSession(HttpMethod.Get, "/api/v1/domains"), TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await http.SendAsync(WithSession(HttpMethod.Post, "/api/v1/domains/none/destroy", "http://attacker.example"), TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.SendAsync(WithSession(HttpMethod.Post, "/api/v1/domains/none/destroy", site), TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await http.SendAsync(WithSession(HttpMethod.Delete, "/api/v1/session"), TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(WithSession(HttpMethod.Get, "/api/v1/domains"), TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync($"{site}/api/v1/domains", TestContext.Current.CancellationToken)).StatusCode);
    }

}
