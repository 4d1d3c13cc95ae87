namespace Domus.Bench.Vnc;

/// <summary>A VNC server showing <see cref="ScreenPattern"/>, whose line changes only between resume and pause.</summary>
public interface IScreenUnderTest : IAsyncDisposable
{
    /// <summary>The row's name in the table.</summary>
    string Name { get; }

    int VncPort { get; }

    Task ResumeAsync();

    Task PauseAsync();
}
