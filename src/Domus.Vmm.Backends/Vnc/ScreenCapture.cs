using Domus.Vmm.Backends.Display;

namespace Domus.Vmm.Backends.Vnc;

/// <summary>
/// The screen as all of a server's clients see it: a frame rendered at most once per interval and shared; a
/// captured frame is never changed afterwards, so clients may keep it while a newer one is drawn.
/// </summary>
internal sealed class ScreenCapture(IDisplaySource display, TimeProvider clock, TimeSpan interval)
{
    private readonly Lock _lock = new();
    private Frame? _latest;
    private long _capturedAt;

    /// <summary>How long until <see cref="Capture"/> draws a new frame rather than returning the latest.</summary>
    public TimeSpan UntilNextCapture
    {
        get
        {
            lock (_lock)
            {
                return _latest is null ? TimeSpan.Zero : TimeSpan.FromTicks(Math.Max(0, (interval - clock.GetElapsedTime(_capturedAt)).Ticks));
            }
        }
    }

    public Frame Capture()
    {
        lock (_lock)
        {
            if (_latest is null || clock.GetElapsedTime(_capturedAt) >= interval)
            {
                var frame = new Frame();
                display.Render(frame);
                _latest = frame;
                _capturedAt = clock.GetTimestamp();
            }

            return _latest;
        }
    }
}
