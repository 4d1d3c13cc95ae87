namespace Domus.Vmm.Backends.Input;

[Flags]
public enum PointerButtons
{
    None = 0,
    Left = 1,
    Right = 2,
    Middle = 4,
}
