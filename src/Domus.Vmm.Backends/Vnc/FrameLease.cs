using Domus.Vmm.Backends.Display;

namespace Domus.Vmm.Backends.Vnc;

/// <summary>
/// A captured frame, held until disposed: <see cref="ScreenCapture"/> never draws into a frame while a lease on it is
/// held, and may draw the next capture into it once every lease on it is disposed.
/// </summary>
internal sealed class FrameLease(ScreenCapture screen, Frame frame) : IDisposable
{
    private Frame? _frame = frame;

    /// <summary>The frame; after <see cref="Dispose"/> it may be drawn over, so it is no longer handed out.</summary>
    public Frame Frame => _frame ?? throw new ObjectDisposedException(nameof(FrameLease));

    public void Dispose()
    {
        if (_frame is { } frame)
        {
            _frame = null;
            screen.Release(frame);
        }
    }
}
