namespace Domus.Vmm.Devices.Input;

/// <summary>
/// A PS/2 mouse on the controller's auxiliary port: stream mode with 3-byte packets once the guest enables
/// reporting (0xF4), remote mode's read-data, status, resolution, scaling and sample rate; the sample-rate knock
/// 200, 100, 80 turns it into an IntelliMouse (ID 3) with a wheel byte in 4-byte packets.
/// </summary>
internal sealed class Ps2Mouse
{
    private const byte Acknowledge = 0xFA, SelfTestPassed = 0xAA, Resend = 0xFE;
    private const byte Scaling11 = 0xE6, Scaling21 = 0xE7, SetResolution = 0xE8, StatusRequest = 0xE9, StreamMode = 0xEA;
    private const byte ReadData = 0xEB, ResetWrap = 0xEC, WrapMode = 0xEE, RemoteMode = 0xF0, GetId = 0xF2, SetSampleRate = 0xF3;
    private const byte Enable = 0xF4, Disable = 0xF5, Defaults = 0xF6, Reset = 0xFF;
    private const int MaximumMovement = 255;

    private readonly byte[] _lastRates = new byte[3];
    private byte? _awaitingArgumentFor;
    private bool _reporting, _remote, _wheel;
    private byte _resolution = 2, _sampleRate = 100;
    private bool _scaling21;
    private int _pendingX, _pendingY, _pendingWheel;
    private byte _buttons;

    public Ps2Queue Output { get; } = new();

    /// <summary>Movement in PS/2 directions (y up); large moves go out as several packets.</summary>
    public void Move(int deltaX, int deltaY, int deltaWheel, byte buttons)
    {
        _pendingX += deltaX;
        _pendingY += deltaY;
        _pendingWheel += deltaWheel;
        var changedButtons = buttons != _buttons;
        _buttons = buttons;
        if (_remote)
        {
            return; // kept for the guest's next read-data
        }

        if (!_reporting)
        {
            _pendingX = _pendingY = _pendingWheel = 0;
            return;
        }

        while (changedButtons || _pendingX != 0 || _pendingY != 0 || _pendingWheel != 0)
        {
            SendPacket();
            changedButtons = false;
        }
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
            case SetResolution or SetSampleRate:
                _awaitingArgumentFor = value;
                Reply(Acknowledge);
                break;
            case Scaling11 or Scaling21:
                _scaling21 = value == Scaling21;
                Reply(Acknowledge);
                break;
            case StatusRequest:
                var status = (byte)((_remote ? 0x40 : 0) | (_reporting ? 0x20 : 0) | (_scaling21 ? 0x10 : 0) | (_buttons & 0x07));
                Reply(Acknowledge, status, _resolution, _sampleRate);
                break;
            case StreamMode or RemoteMode:
                _remote = value == RemoteMode;
                Reply(Acknowledge);
                break;
            case ReadData:
                Reply(Acknowledge);
                SendPacket();
                break;
            case ResetWrap or WrapMode:
                Reply(Acknowledge);
                break;
            case GetId:
                Reply(Acknowledge, _wheel ? (byte)3 : (byte)0);
                break;
            case Enable or Disable:
                _reporting = value == Enable;
                Reply(Acknowledge);
                break;
            case Defaults:
                SetDefaults();
                Reply(Acknowledge);
                break;
            case Reset:
                SetDefaults();
                _wheel = false;
                Reply(Acknowledge, SelfTestPassed, 0x00);
                break;
            default:
                Reply(Resend);
                break;
        }
    }

    private void Argument(byte command, byte value)
    {
        if (command == SetResolution)
        {
            _resolution = (byte)(value & 3);
        }
        else
        {
            _sampleRate = value;
            _lastRates[0] = _lastRates[1];
            _lastRates[1] = _lastRates[2];
            _lastRates[2] = value;
            _wheel |= _lastRates is [200, 100, 80];
        }

        Reply(Acknowledge);
    }

    private void SetDefaults()
    {
        _reporting = _remote = _scaling21 = false;
        _resolution = 2;
        _sampleRate = 100;
        _pendingX = _pendingY = _pendingWheel = 0;
        Output.Clear();
    }

    /// <summary>Buttons, sign bits and always-one bit 3, then X and Y (and the wheel for an IntelliMouse).</summary>
    private void SendPacket()
    {
        var x = Math.Clamp(_pendingX, -MaximumMovement - 1, MaximumMovement);
        var y = Math.Clamp(_pendingY, -MaximumMovement - 1, MaximumMovement);
        var wheel = Math.Clamp(_pendingWheel, -8, 7);
        _pendingX -= x;
        _pendingY -= y;
        _pendingWheel -= wheel;
        var first = (byte)(0x08 | (_buttons & 0x07) | (x < 0 ? 0x10 : 0) | (y < 0 ? 0x20 : 0));
        if (_wheel)
        {
            Reply(first, (byte)x, (byte)y, (byte)(wheel & 0x0F));
        }
        else
        {
            Reply(first, (byte)x, (byte)y);
        }
    }

    private void Reply(params ReadOnlySpan<byte> bytes) => Output.Enqueue(bytes);
}
