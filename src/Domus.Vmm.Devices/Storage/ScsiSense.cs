namespace Domus.Vmm.Devices.Storage;

/// <summary>A SCSI sense key with its additional sense code and qualifier, as REQUEST SENSE reports them.</summary>
public readonly record struct ScsiSense(byte Key, byte Code, byte Qualifier = 0)
{
    public static readonly ScsiSense None = new(0, 0);
    public static readonly ScsiSense MediumNotPresent = new(0x02, 0x3A);
    public static readonly ScsiSense UnrecoveredReadError = new(0x03, 0x11);
    public static readonly ScsiSense InvalidOperationCode = new(0x05, 0x20);
    public static readonly ScsiSense LbaOutOfRange = new(0x05, 0x21);
    public static readonly ScsiSense InvalidFieldInCdb = new(0x05, 0x24);
    public static readonly ScsiSense SavingParametersNotSupported = new(0x05, 0x39);
    public static readonly ScsiSense MediumRemovalPrevented = new(0x05, 0x53, 0x02);
    public static readonly ScsiSense MediumMayHaveChanged = new(0x06, 0x28);
    public static readonly ScsiSense AbortedCommand = new(0x0B, 0x00);
}
