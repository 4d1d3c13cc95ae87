using Domus.Vmm.Devices.Bus;

namespace Domus.Vmm.Devices.Storage;

/// <summary>
/// One IDE channel with up to two devices (0, the master, and 1, the slave): the command block registers
/// (offsets 0-7 of 0x1F0 or 0x170) and, through <see cref="ControlBlock"/>, the device control register. Register
/// writes reach both positions as on a real cable; reads and commands go to the selected device. An absent
/// device reads status zero and ignores commands, which is how firmware and drivers find it missing. The interrupt
/// line is raised when the device asks and lowered when the host reads the status register or writes a command.
/// A DMA command's data moves through the channel's bus master (<see cref="IdeBusMaster"/>), when it has one.
/// </summary>
public sealed class IdeChannel : IPortIoDevice
{
    private const byte InterruptsDisabled = 0x02, SoftwareReset = 0x04, HighOrderByte = 0x80;

    private readonly Lock _lock = new();
    private readonly IInterruptLine _interrupt;
    private readonly AtaDevice?[] _devices;
    private readonly AtaTaskFile[] _registers = [new(), new()];
    private byte _control;
    private bool _pending;
    private int _selected;
    private IdeDmaEngine? _busMaster;

    public IdeChannel(IInterruptLine interrupt, AtaDevice? master, AtaDevice? slave)
    {
        _interrupt = interrupt;
        _devices = [master, slave];
        for (var i = 0; i < 2; i++)
        {
            _devices[i]?.Attach(_registers[i], RequestInterrupt);
        }

        ControlBlock = new IdeControlBlock(this);
    }

    /// <summary>The device control / alternate status register, registered one port wide at 0x3F6 or 0x376.</summary>
    public IPortIoDevice ControlBlock { get; }

    /// <summary>The lock of the channel, which its bus master shares so that device and bus master change together.</summary>
    internal Lock SyncRoot => _lock;

    /// <summary>The selected device while it waits for the bus master to move its DMA command's data.</summary>
    internal AtaDevice? DmaDevice => Selected is { DmaPending: true } device ? device : null;

    private AtaDevice? Selected => _devices[_selected];

    public void Read(ushort offset, Span<byte> data)
    {
        lock (_lock)
        {
            if (offset == 0)
            {
                if (Selected is { } device)
                {
                    device.ReadData(data);
                }
                else
                {
                    data.Fill(0xFF);
                }

                return;
            }

            data.Fill(0xFF);
            data[0] = offset switch
            {
                6 => _registers[_selected].Device,
                7 => ReadStatus(),
                _ => _registers[_selected].Read(offset, highOrder: (_control & HighOrderByte) != 0),
            };
        }
    }

    public void Write(ushort offset, ReadOnlySpan<byte> data)
    {
        lock (_lock)
        {
            switch (offset)
            {
                case 0:
                    Selected?.WriteData(data);
                    _busMaster?.Run(); // the last bytes of an ATAPI packet may ask for DMA
                    break;
                case <= 5:
                    _control &= unchecked((byte)~HighOrderByte);
                    _registers[0].Write(offset, data[0]);
                    _registers[1].Write(offset, data[0]);
                    break;
                case 6:
                    _registers[0].Device = _registers[1].Device = (byte)(data[0] | 0xA0);
                    _selected = (data[0] >> 4) & 1;
                    break;
                case 7:
                    if (Selected is { } device && (_control & SoftwareReset) == 0)
                    {
                        SetPending(false);
                        device.Execute(data[0]);
                        _busMaster?.Run();
                    }

                    break;
            }
        }
    }

    internal void AttachBusMaster(IdeDmaEngine busMaster)
    {
        lock (_lock)
        {
            _busMaster = busMaster;
        }
    }

    internal byte ReadAlternateStatus()
    {
        lock (_lock)
        {
            return CurrentStatus();
        }
    }

    /// <summary>Setting SRST holds both devices in reset; clearing it lets them come out with their signatures.</summary>
    internal void WriteDeviceControl(byte value)
    {
        lock (_lock)
        {
            var wasInReset = (_control & SoftwareReset) != 0;
            _control = value;
            if (wasInReset && (value & SoftwareReset) == 0)
            {
                _devices[0]?.Reset();
                _devices[1]?.Reset();
                _pending = false;
            }

            UpdateLine();
        }
    }

    private byte ReadStatus()
    {
        var status = CurrentStatus();
        SetPending(false);
        return status;
    }

    private byte CurrentStatus() => (_control & SoftwareReset) != 0 ? AtaStatus.Busy : Selected?.Status ?? 0;

    /// <summary>The device asserts INTRQ; unless the host disabled it, the bus master's status sees it too.</summary>
    private void RequestInterrupt()
    {
        if ((_control & InterruptsDisabled) == 0)
        {
            _busMaster?.DeviceInterrupted();
        }

        SetPending(true);
    }

    private void SetPending(bool pending)
    {
        _pending = pending;
        UpdateLine();
    }

    private void UpdateLine() => _interrupt.SetLevel(_pending && (_control & InterruptsDisabled) == 0);
}
