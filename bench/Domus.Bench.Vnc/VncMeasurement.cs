using System.Diagnostics;
using Domus.Tests.Screens;

namespace Domus.Bench.Vnc;

/// <summary>
/// A VNC client measuring one kind of update in one encoding: it connects (32 bits per pixel, true colour, the
/// encoding and DesktopSize), waits for the picture, then asks for an update, reads it and asks again, as viewers
/// do, for a warm-up and then for the measured window.
/// </summary>
public static class VncMeasurement
{
    private static readonly TimeSpan PictureTimeout = TimeSpan.FromMinutes(2);

    public static async Task<UpdateFigures> MeasureAsync(int port, int encoding, UpdateKind kind, TimeSpan warmUp, TimeSpan window)
    {
        using var client = await ConnectAsync(port, encoding);
        await WaitForPictureAsync(client);
        await RequestRepeatedlyAsync(client, kind, warmUp);
        var bytesBefore = client.BytesReceived;
        var (updates, pixels, elapsed) = await RequestRepeatedlyAsync(client, kind, window);
        return new UpdateFigures(updates / elapsed.TotalSeconds, (client.BytesReceived - bytesBefore) / (double)updates, pixels / (double)updates);
    }

    /// <summary>Waits until the screen shows the whole picture: the guest has booted and drawn it.</summary>
    public static async Task WaitForPictureAsync(int port)
    {
        using var client = await ConnectAsync(port, RfbClient.EncodingRaw);
        await WaitForPictureAsync(client);
    }

    private static Task<RfbClient> ConnectAsync(int port, int encoding) =>
        RfbClient.ConnectAsync("127.0.0.1", port, password: null, new RfbClientOptions { Encodings = [encoding, RfbClient.EncodingDesktopSize] });

    private static async Task WaitForPictureAsync(RfbClient client)
    {
        var deadline = Stopwatch.StartNew();
        while (!ScreenPattern.IsShown(client.Width, client.Height, await client.FramebufferAsync()))
        {
            if (deadline.Elapsed > PictureTimeout)
            {
                throw new TimeoutException($"the picture did not appear within {PictureTimeout.TotalSeconds} s (the screen is {client.Width}x{client.Height})");
            }

            await Task.Delay(200);
        }
    }

    private static async Task<(int Updates, long Pixels, TimeSpan Elapsed)> RequestRepeatedlyAsync(RfbClient client, UpdateKind kind, TimeSpan duration)
    {
        var watch = Stopwatch.StartNew();
        var updates = 0;
        var pixels = 0L;
        while (watch.Elapsed < duration || updates == 0)
        {
            var rectangles = await client.UpdateAsync(kind == UpdateKind.OneLine, 0, 0, client.Width, client.Height);
            updates++;
            pixels += rectangles.Where(r => r.Encoding != RfbClient.EncodingDesktopSize).Sum(r => (long)r.Width * r.Height);
        }

        return (updates, pixels, watch.Elapsed);
    }
}
