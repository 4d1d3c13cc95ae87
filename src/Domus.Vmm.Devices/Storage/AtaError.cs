namespace Domus.Vmm.Devices.Storage;

/// <summary>Bits of the ATA error register.</summary>
public static class AtaError
{
    public const byte Uncorrectable = 0x40, IdNotFound = 0x10, Abort = 0x04;

    /// <summary>After reset or EXECUTE DEVICE DIAGNOSTIC: device 0 passed (and device 1 passed or is absent).</summary>
    public const byte DiagnosticPassed = 0x01;
}
