using Domus.Vmm.Devices.Bus;

namespace Domus.Vmm.Devices.Serial;

/// <summary>
/// A 16550A UART: the divisor latch, 16-byte receive FIFO, line and modem status, loopback, and interrupts
/// (line status, received data or character timeout, transmitter empty, modem status, in that priority),
/// raised as a level on its line. Transmission is instant: the transmitter is always empty again at once.
/// </summary>
public sealed class Uart16550(IInterruptLine interrupt, ISerialBackend backend) : IPortIoDevice
{
    public const int FifoSize = 16;

    private const int Data = 0, InterruptEnable = 1, InterruptIdentify = 2, LineControl = 3, ModemControl = 4, LineStatus = 5, ModemStatus = 6, Scratch = 7;
    private const byte IerReceived = 0x01, IerTransmitterEmpty = 0x02, IerLineStatus = 0x04, IerModemStatus = 0x08;
    private const byte LcrDivisorLatch = 0x80;
    private const byte McrLoopback = 0x10;
    private const byte LsrDataReady = 0x01, LsrOverrun = 0x02, LsrTransmitterEmpty = 0x60;
    private const byte IirNone = 0x01, IirLineStatus = 0x06, IirReceived = 0x04, IirTimeout = 0x0C, IirTransmitterEmpty = 0x02, IirModemStatus = 0x00;
    private const byte FcrEnable = 0x01, FcrClearReceive = 0x02;

    private readonly Lock _lock = new();
    private readonly Queue<byte> _receive = new();
    private byte _ier, _lcr, _mcr, _scratch, _fcr, _divisorLow = 0x0C, _divisorHigh;
    private byte _lineErrors;
    private byte _modemDeltas;
    private bool _transmitterEmptyPending;

    /// <summary>Bytes that arrive from the host side (a console typing into the guest).</summary>
    public void Receive(ReadOnlySpan<byte> bytes)
    {
        lock (_lock)
        {
            foreach (var value in bytes)
            {
                Enqueue(value);
            }

            UpdateInterrupt();
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
            data[0] = ReadRegister(offset);
            UpdateInterrupt();
        }
    }

    public void Write(ushort offset, ReadOnlySpan<byte> data)
    {
        if (data.Length != 1)
        {
            return;
        }

        lock (_lock)
        {
            WriteRegister(offset, data[0]);
            UpdateInterrupt();
        }
    }

    private bool DivisorLatch => (_lcr & LcrDivisorLatch) != 0;

    private int TriggerLevel => (_fcr & FcrEnable) == 0 ? 1 : (_fcr >> 6) switch { 0 => 1, 1 => 4, 2 => 8, _ => 14 };

    private byte ReadRegister(ushort offset)
    {
        switch (offset)
        {
            case Data when DivisorLatch:
                return _divisorLow;
            case Data:
                return _receive.Count > 0 ? _receive.Dequeue() : (byte)0;
            case InterruptEnable when DivisorLatch:
                return _divisorHigh;
            case InterruptEnable:
                return _ier;
            case InterruptIdentify:
                var identity = PendingInterrupt();
                if (identity == IirTransmitterEmpty)
                {
                    // Reading IIR acknowledges a transmitter-empty interrupt.
                    _transmitterEmptyPending = false;
                }

                return (byte)(identity | ((_fcr & FcrEnable) != 0 ? 0xC0 : 0));
            case LineControl:
                return _lcr;
            case ModemControl:
                return _mcr;
            case LineStatus:
                var status = (byte)(LsrTransmitterEmpty | (_receive.Count > 0 ? LsrDataReady : 0) | _lineErrors);
                _lineErrors = 0;
                return status;
            case ModemStatus:
                var modem = (byte)(ModemLines() | _modemDeltas);
                _modemDeltas = 0;
                return modem;
            default:
                return _scratch;
        }
    }

    private void WriteRegister(ushort offset, byte value)
    {
        switch (offset)
        {
            case Data when DivisorLatch:
                _divisorLow = value;
                break;
            case Data when (_mcr & McrLoopback) != 0:
                Enqueue(value);
                _transmitterEmptyPending = true;
                break;
            case Data:
                backend.Transmit(value);
                _transmitterEmptyPending = true;
                break;
            case InterruptEnable when DivisorLatch:
                _divisorHigh = value;
                break;
            case InterruptEnable:
                // Enabling the transmitter-empty interrupt while the transmitter is empty raises it at once.
                _transmitterEmptyPending |= (value & IerTransmitterEmpty) != 0 && (_ier & IerTransmitterEmpty) == 0;
                _ier = (byte)(value & 0x0F);
                break;
            case InterruptIdentify:
                if ((value & FcrClearReceive) != 0)
                {
                    _receive.Clear();
                }

                _fcr = (byte)(value & 0xC9);
                break;
            case LineControl:
                _lcr = value;
                break;
            case ModemControl:
                var before = ModemLines();
                _mcr = (byte)(value & 0x1F);
                _modemDeltas |= (byte)(((before ^ ModemLines()) >> 4) & 0x0B);
                break;
            case Scratch:
                _scratch = value;
                break;
        }
    }

    /// <summary>CTS, DSR, RI and DCD: looped back from DTR, RTS, OUT1 and OUT2, or all present as a connected cable.</summary>
    private byte ModemLines() =>
        (_mcr & McrLoopback) != 0
            ? (byte)(((_mcr & 0x02) << 3) | ((_mcr & 0x01) << 5) | ((_mcr & 0x04) << 4) | ((_mcr & 0x08) << 4))
            : (byte)0xB0;

    private void Enqueue(byte value)
    {
        if (_receive.Count >= FifoSize)
        {
            _lineErrors |= LsrOverrun;
            return;
        }

        _receive.Enqueue(value);
    }

    private byte PendingInterrupt()
    {
        if ((_ier & IerLineStatus) != 0 && _lineErrors != 0)
        {
            return IirLineStatus;
        }

        if ((_ier & IerReceived) != 0 && _receive.Count > 0)
        {
            return _receive.Count >= TriggerLevel ? IirReceived : IirTimeout;
        }

        if ((_ier & IerTransmitterEmpty) != 0 && _transmitterEmptyPending)
        {
            return IirTransmitterEmpty;
        }

        return (_ier & IerModemStatus) != 0 && _modemDeltas != 0 ? IirModemStatus : IirNone;
    }

    private void UpdateInterrupt() => interrupt.SetLevel(PendingInterrupt() != IirNone);
}
