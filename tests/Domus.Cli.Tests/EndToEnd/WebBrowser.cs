using Microsoft.Playwright;

namespace Domus.Cli.Tests.EndToEnd;

/// <summary>Debian's Chromium under Playwright for the web manager's tests, and the screenshots they leave under artifacts/web.</summary>
public static class WebBrowser
{
    private const string Chromium = "/usr/lib/chromium/chromium";

    public static void RequireChromium()
    {
        if (!File.Exists(Chromium))
        {
            Assert.Skip($"{Chromium} is not installed (scripts/debian-packages.sh test installs chromium)");
        }
    }

    public static Task<IBrowser> LaunchAsync(IPlaywright playwright) =>
        playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Args = ["--no-sandbox"] });

    /// <summary>A page at the desktop size the screenshots start from.</summary>
    public static Task<IPage> DesktopPageAsync(IBrowser browser) => browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 800 } });

    /// <summary>The page at 1280×800 and at a phone's 390×844, under artifacts/ in the checkout.</summary>
    public static async Task SaveScreenshotsAsync(IPage page, string name)
    {
        var directory = Path.Combine(EndToEndEnvironment.RepositoryRoot, "artifacts", "web");
        Directory.CreateDirectory(directory);
        await page.ScreenshotAsync(new() { Path = Path.Combine(directory, $"{name}-1280x800.png"), FullPage = true });
        await page.SetViewportSizeAsync(390, 844);
        await page.ScreenshotAsync(new() { Path = Path.Combine(directory, $"{name}-390x844.png"), FullPage = true });
        await page.SetViewportSizeAsync(1280, 800);
    }

    /// <summary>A canvas's pixels as 0xRRGGBB, read in the page.</summary>
    public static async Task<(int Width, int Height, uint[] Pixels)> CanvasAsync(ILocator canvas)
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
}
