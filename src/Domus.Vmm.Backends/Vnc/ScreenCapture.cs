using Domus.Vmm.Backends.Display;

namespace Domus.Vmm.Backends.Vnc;

/// <summary>
/// The screen as all of a server's clients see it: a frame rendered at most once per interval and shared. A frame is
/// never drawn into while a client holds a lease on it; one that nobody holds is drawn over by the next capture
/// rather than thrown away, since a fresh frame's pages cost more to fault in than the drawing itself.
/// </summary>
internal sealed class ScreenCapture(IDisplaySource display, TimeProvider clock, TimeSpan interval)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<Frame, int> _leases = [];
    private Frame? _latest;
    private Frame? _spare;
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

    /// <summary>The latest frame, drawn now if the last is an interval old; dispose the lease when done reading it.</summary>
    public FrameLease Capture()
    {
        lock (_lock)
        {
            if (_latest is null || clock.GetElapsedTime(_capturedAt) >= interval)
            {
                Frame frame;
                if (_latest is not null && !_leases.ContainsKey(_latest))
                {
                    frame = _latest;
                }
                else
                {
                    // The latest is still read by someone: it becomes the spare when they let go (see Release).
                    frame = _spare ?? new Frame();
                    _spare = null;
                }

                display.Render(frame);
                _latest = frame;
                _capturedAt = clock.GetTimestamp();
            }

            _leases[_latest] = _leases.GetValueOrDefault(_latest) + 1;
            return new FrameLease(this, _latest);
        }
    }

    internal void Release(Frame frame)
    {
        lock (_lock)
        {
            var left = _leases[frame] - 1;
            if (left > 0)
            {
                _leases[frame] = left;
                return;
            }

            _leases.Remove(frame);
            // One spare is enough for viewers taking turns; frames beyond it (many viewers at once) go to the collector.
            if (frame != _latest)
            {
                _spare ??= frame;
            }
        }
    }
}
