namespace Domus.Vmm.Devices.Storage;

/// <summary>Bits of the ATA status register.</summary>
public static class AtaStatus
{
    public const byte Busy = 0x80, Ready = 0x40, DeviceFault = 0x20, SeekComplete = 0x10, DataRequest = 0x08, Error = 0x01;

    /// <summary>What a device that has finished a command without error shows.</summary>
    public const byte Idle = Ready | SeekComplete;
}
