namespace Domus.Vmm.Backends.Display;

/// <summary>A graphics card as the screen's consumers (VNC, screenshots) see it: it draws what it shows now.</summary>
public interface IDisplaySource
{
    /// <summary>Draws the current screen into <paramref name="frame"/>, resizing it to the mode's size.</summary>
    void Render(Frame frame);
}
