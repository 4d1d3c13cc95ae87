namespace Domus.Bench.Vnc;

/// <summary>One measured window: framebuffer updates received per second, and bytes and pixels per update.</summary>
public sealed record UpdateFigures(double UpdatesPerSecond, double BytesPerUpdate, double PixelsPerUpdate);
