using Domus.Vmm.Backends.Input;
using Domus.Vmm.Devices.Bus;

namespace Domus.Vmm.Devices.Input;

/// <summary>
/// The PC's i8042 keyboard controller with a PS/2 keyboard and mouse. Register it at 0x60 for 5 ports: offset 0
/// is the data port, offset 4 status (read) and command (write). The command byte (0x20/0x60) enables each port's
/// interrupt (IRQ 1 for the keyboard, IRQ 12 for the mouse; held while the output buffer has that port's byte,
/// and dropped by each read, so that every byte raises it anew), disables ports and turns on translation of the keyboard's set 2 into set 1, as PCs boot. 0xAA self-tests
/// (0x55), 0xAB/0xA9 test the interfaces, 0xD1 writes the output port (A20, and the reset line when bit 0 is
/// low), 0xD2/0xD3 echo bytes as if from a port, 0xD4 sends the next byte to the mouse, and 0xFE (any pulse of
/// output line 0) resets the machine through <paramref name="reset"/>. Console input arrives through
/// <see cref="IKeyboardInput"/> and <see cref="IPointerInput"/>.
/// </summary>
public sealed class I8042Controller(IInterruptLine keyboardInterrupt, IInterruptLine mouseInterrupt, Action reset)
    : IPortIoDevice, IKeyboardInput, IPointerInput
{
    public const ushort PortBase = 0x60, PortCount = 5;
    private const ushort DataPort = 0, CommandPort = 4;

    private const byte StatusOutputFull = 0x01, StatusSystem = 0x04, StatusCommand = 0x08, StatusUnlocked = 0x10, StatusMouseData = 0x20;
    private const byte KeyboardInterrupt = 0x01, MouseInterrupt = 0x02, SystemFlag = 0x04;
    private const byte KeyboardDisabled = 0x10, MouseDisabled = 0x20, TranslateFlag = 0x40;
    private const byte OutputPortReset = 0x01, OutputPortA20 = 0x02;

    private readonly Lock _lock = new();
    private readonly Ps2Keyboard _keyboard = new();
    private readonly Ps2Mouse _mouse = new();
    private readonly Ps2Queue _controllerReplies = new();
    private byte _commandByte = KeyboardInterrupt | MouseInterrupt | SystemFlag | TranslateFlag;
    private byte _outputPort = OutputPortReset | OutputPortA20;
    private byte _status = StatusUnlocked;
    private byte _output;
    private byte? _pendingCommand;

    /// <summary>Whether the output port lets address line 20 through (the guest's A20 gate; KVM has no A20 masking, so it is reported, not applied).</summary>
    public bool A20Enabled
    {
        get
        {
            lock (_lock)
            {
                return (_outputPort & OutputPortA20) != 0;
            }
        }
    }

    public byte KeyboardLeds
    {
        get
        {
            lock (_lock)
            {
                return _keyboard.Leds;
            }
        }
    }

    public void Read(ushort offset, Span<byte> data)
    {
        if (data.Length != 1)
        {
            data.Fill(0xFF);
            return;
        }

        lock (_lock)
        {
            data[0] = offset switch
            {
                DataPort => ReadData(),
                CommandPort => _status,
                _ => 0xFF,
            };
        }
    }

    public void Write(ushort offset, ReadOnlySpan<byte> data)
    {
        if (data.Length != 1)
        {
            return;
        }

        var resetRequested = false;
        lock (_lock)
        {
            if (offset == CommandPort)
            {
                _status |= StatusCommand;
                resetRequested = Command(data[0]);
            }
            else if (offset == DataPort)
            {
                _status &= unchecked((byte)~StatusCommand);
                resetRequested = WriteData(data[0]);
            }

            Refill();
        }

        // Outside the lock: the reset rebuilds the machine and may come back to this device.
        if (resetRequested)
        {
            reset();
        }
    }

    public void SendKey(ushort scancode, bool pressed)
    {
        lock (_lock)
        {
            _keyboard.Key(scancode, pressed);
            Refill();
        }
    }

    public void SendPointer(int deltaX, int deltaY, int deltaWheel, PointerButtons buttons)
    {
        lock (_lock)
        {
            _mouse.Move(deltaX, -deltaY, deltaWheel, (byte)buttons);
            Refill();
        }
    }

    private byte ReadData()
    {
        var value = _output;
        _status &= unchecked((byte)~(StatusOutputFull | StatusMouseData));

        // Reading drops the interrupt, and the next byte raises it again: the PIC and the IOAPIC take IRQ 1 and 12
        // on their rising edge, and a line held high from one byte to the next would lose the second byte's interrupt.
        keyboardInterrupt.SetLevel(false);
        mouseInterrupt.SetLevel(false);
        Refill();
        return value;
    }

    /// <summary>Whether the command pulses the reset line.</summary>
    private bool Command(byte command)
    {
        switch (command)
        {
            case 0x20:
                Reply(_commandByte);
                break;
            case 0x60 or 0xD1 or 0xD2 or 0xD3 or 0xD4:
                _pendingCommand = command;
                break;
            case 0xA7:
                _commandByte |= MouseDisabled;
                break;
            case 0xA8:
                _commandByte &= unchecked((byte)~MouseDisabled);
                break;
            case 0xA9 or 0xAB:
                Reply(0x00);
                break;
            case 0xAA:
                _status |= StatusSystem;
                Reply(0x55);
                break;
            case 0xAD:
                _commandByte |= KeyboardDisabled;
                break;
            case 0xAE:
                _commandByte &= unchecked((byte)~KeyboardDisabled);
                break;
            case 0xC0:
                Reply(0x80); // input port: keyboard not inhibited
                break;
            case 0xD0:
                Reply(_outputPort);
                break;
            case 0xDD or 0xDF:
                _outputPort = (byte)((_outputPort & ~OutputPortA20) | (command == 0xDF ? OutputPortA20 : 0));
                break;
            case >= 0xF0:
                return (command & OutputPortReset) == 0;
        }

        return false;
    }

    private bool WriteData(byte value)
    {
        var command = _pendingCommand;
        _pendingCommand = null;
        switch (command)
        {
            case 0x60:
                _commandByte = value;
                _status = (byte)((_status & ~StatusSystem) | (value & SystemFlag));
                _keyboard.Translate = (value & TranslateFlag) != 0;
                break;
            case 0xD1:
                _outputPort = value;
                return (value & OutputPortReset) == 0;
            case 0xD2:
                _keyboard.Output.Enqueue([value]);
                break;
            case 0xD3:
                _mouse.Output.Enqueue([value]);
                break;
            case 0xD4:
                _mouse.Command(value);
                break;
            default:
                // A byte for the keyboard also turns its interface back on, as on the real controller.
                _commandByte &= unchecked((byte)~KeyboardDisabled);
                _keyboard.Command(value);
                break;
        }

        return false;
    }

    private void Reply(byte value) => _controllerReplies.Enqueue([value]);

    /// <summary>Moves the next byte into an empty output buffer (controller replies, then keyboard, then mouse) and sets the interrupt lines.</summary>
    private void Refill()
    {
        if ((_status & StatusOutputFull) == 0)
        {
            if (!_controllerReplies.IsEmpty)
            {
                Fill(_controllerReplies.Dequeue(), fromMouse: false);
            }
            else if ((_commandByte & KeyboardDisabled) == 0 && !_keyboard.Output.IsEmpty)
            {
                Fill(_keyboard.Output.Dequeue(), fromMouse: false);
            }
            else if ((_commandByte & MouseDisabled) == 0 && !_mouse.Output.IsEmpty)
            {
                Fill(_mouse.Output.Dequeue(), fromMouse: true);
            }
        }

        var full = (_status & StatusOutputFull) != 0;
        var mouseData = (_status & StatusMouseData) != 0;
        keyboardInterrupt.SetLevel(full && !mouseData && (_commandByte & KeyboardInterrupt) != 0);
        mouseInterrupt.SetLevel(full && mouseData && (_commandByte & MouseInterrupt) != 0);
    }

    private void Fill(byte value, bool fromMouse)
    {
        _output = value;
        _status |= (byte)(StatusOutputFull | (fromMouse ? StatusMouseData : 0));
    }
}
