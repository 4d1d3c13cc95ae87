namespace Domus.Vmm.Backends.Input;

/// <summary>A relative pointing device (a PS/2 mouse): movement in screen directions (x right, y down), wheel steps (positive down), the buttons held.</summary>
public interface IPointerInput
{
    void SendPointer(int deltaX, int deltaY, int deltaWheel, PointerButtons buttons);
}
