using Domus.Vmm.Backends.Vnc;
using Microsoft.Extensions.Time.Testing;

namespace Domus.Vmm.Backends.Tests.Vnc;

public sealed class ScreenCaptureTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(30);
    private readonly FakeTimeProvider _clock = new();
    private readonly FakeDisplay _display = new(300, 200, Picture(1));
    private readonly ScreenCapture _screen;

    public ScreenCaptureTests()
    {
        _screen = new ScreenCapture(_display, _clock, Interval);
    }

    private static Func<int, int, uint> Picture(int number) => (x, y) => (uint)((x * 31) + (y * 7) + (number << 16));

    [Fact]
    public void WithinAnIntervalEveryCaptureSharesOneDrawing()
    {
        using var first = _screen.Capture();
        _clock.Advance(Interval / 2);
        using var second = _screen.Capture();
        Assert.Same(first.Frame, second.Frame);
        Assert.Equal(1, _display.Renders);
    }

    [Fact]
    public void AFrameNobodyHoldsIsDrawnOverByTheNextCapture()
    {
        var first = _screen.Capture();
        var frame = first.Frame;
        first.Dispose();
        _display.ChangeMode(300, 200, Picture(2));
        _clock.Advance(Interval);
        using var next = _screen.Capture();
        Assert.Same(frame, next.Frame);
        Assert.Equal(_display.Pixels, next.Frame.Pixels);
    }

    [Fact]
    public void AFrameStillHeldIsNeverDrawnOver()
    {
        using var held = _screen.Capture();
        var before = _display.Pixels;
        _display.ChangeMode(300, 200, Picture(2));
        _clock.Advance(Interval);
        using var next = _screen.Capture();
        Assert.NotSame(held.Frame, next.Frame);
        Assert.Equal(before, held.Frame.Pixels);
        Assert.Equal(_display.Pixels, next.Frame.Pixels);
    }

    [Fact]
    public void AFrameIsFreeOnlyOnceEveryHolderLetGoAndDisposingTwiceCountsOnce()
    {
        using var first = _screen.Capture();
        var second = _screen.Capture();
        var before = _display.Pixels;
        second.Dispose();
        second.Dispose();
        _display.ChangeMode(300, 200, Picture(2));
        _clock.Advance(Interval);
        using var next = _screen.Capture();
        Assert.NotSame(first.Frame, next.Frame);
        Assert.Equal(before, first.Frame.Pixels);
        Assert.Throws<ObjectDisposedException>(() => second.Frame);
    }

    [Fact]
    public void AnOlderFrameLetGoIsDrawnIntoWhileTheLatestIsHeld()
    {
        var older = _screen.Capture();
        var olderFrame = older.Frame;
        _clock.Advance(Interval);
        using var latest = _screen.Capture();
        older.Dispose();
        _display.ChangeMode(300, 200, Picture(2));
        _clock.Advance(Interval);
        using var next = _screen.Capture();
        Assert.Same(olderFrame, next.Frame);
        Assert.Equal(_display.Pixels, next.Frame.Pixels);
        Assert.NotEqual(_display.Pixels, latest.Frame.Pixels);
    }

    [Fact]
    public void AReusedFrameTakesTheNewModesSize()
    {
        _screen.Capture().Dispose();
        _display.ChangeMode(640, 480, Picture(2));
        _clock.Advance(Interval);
        using var next = _screen.Capture();
        Assert.Equal((640, 480), (next.Frame.Width, next.Frame.Height));
        Assert.Equal(_display.Pixels, next.Frame.Pixels);
    }
}
