namespace Domus.Vmm.Backends.Input;

/// <summary>
/// A keyboard that a console (VNC) types on. Keys are named by their PC scancode of set 1 (the XT make code),
/// with 0xE0 in the high byte for the extended keys (0xE048 is the cursor-up key); the keyboard sends them in
/// whatever scancode set the guest chose.
/// </summary>
public interface IKeyboardInput
{
    void SendKey(ushort scancode, bool pressed);
}
