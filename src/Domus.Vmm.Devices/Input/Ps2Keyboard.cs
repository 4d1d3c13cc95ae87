namespace Domus.Vmm.Devices.Input;

/// <summary>
/// A PS/2 keyboard (MF2): reset with its self-test result, enable/disable scanning, LEDs, typematic rate, echo,
/// identify and the scancode set (1 or 2; set 3 is answered but keys stay in set 2). With the controller's
/// translation on, what it sends is turned into set 1 as the i8042 does, replies excepted.
/// </summary>
internal sealed class Ps2Keyboard
{
    private const byte Acknowledge = 0xFA, SelfTestPassed = 0xAA, Resend = 0xFE, Echo = 0xEE;
    private const byte SetLeds = 0xED, EchoCommand = 0xEE, ScancodeSet = 0xF0, Identify = 0xF2, Typematic = 0xF3;
    private const byte Enable = 0xF4, Disable = 0xF5, Defaults = 0xF6, Reset = 0xFF;

    // The replies to "which set" and "identify" as translation changes them.
    private static readonly byte[] TranslatedSet = [0x00, 0x43, 0x41, 0x3F];

    private byte? _awaitingArgumentFor;
    private bool _scanning = true;
    private int _set = 2;

    public Ps2Queue Output { get; } = new();

    /// <summary>The controller's translation to set 1 (command byte bit 6).</summary>
    public bool Translate { get; set; } = true;

    public byte Leds { get; private set; }

    public void Key(ushort scancode, bool pressed)
    {
        if (!_scanning)
        {
            return;
        }

        Span<byte> set2 = stackalloc byte[3];
        Span<byte> bytes = stackalloc byte[3];
        var length = _set == 1
            ? Ps2Scancodes.ToSet1(scancode, pressed, bytes)
            : Translate
                ? Ps2Scancodes.Translate(set2[..Ps2Scancodes.ToSet2(scancode, pressed, set2)], bytes)
                : Ps2Scancodes.ToSet2(scancode, pressed, bytes);
        Output.Enqueue(bytes[..length]);
    }

    public void Command(byte value)
    {
        if (_awaitingArgumentFor is { } command)
        {
            _awaitingArgumentFor = null;
            Argument(command, value);
            return;
        }

        switch (value)
        {
            case SetLeds or ScancodeSet or Typematic:
                _awaitingArgumentFor = value;
                Reply(Acknowledge);
                break;
            case EchoCommand:
                Reply(Echo);
                break;
            case Identify:
                Reply(Acknowledge, 0xAB, Translate ? (byte)0x41 : (byte)0x83);
                break;
            case Enable:
                _scanning = true;
                Reply(Acknowledge);
                break;
            case Disable or Defaults:
                SetDefaults();
                _scanning = value == Defaults;
                Reply(Acknowledge);
                break;
            case Reset:
                SetDefaults();
                _scanning = true;
                Reply(Acknowledge, SelfTestPassed);
                break;
            case >= 0xF7 and <= 0xFD:
                Reply(Acknowledge); // set-3 key types: accepted, without effect
                break;
            default:
                Reply(Resend);
                break;
        }
    }

    private void Argument(byte command, byte value)
    {
        switch (command)
        {
            case SetLeds:
                Leds = (byte)(value & 0x07);
                Reply(Acknowledge);
                break;
            case ScancodeSet when value == 0:
                Reply(Acknowledge, Translate ? TranslatedSet[_set] : (byte)_set);
                break;
            case ScancodeSet when value <= 3:
                _set = value;
                Reply(Acknowledge);
                break;
            case ScancodeSet:
                Reply(Resend);
                break;
            default:
                Reply(Acknowledge);
                break;
        }
    }

    private void SetDefaults()
    {
        _set = 2;
        Leds = 0;
        Output.Clear();
    }

    private void Reply(params ReadOnlySpan<byte> bytes) => Output.Enqueue(bytes);
}
