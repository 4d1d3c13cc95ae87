namespace Domus.Vmm.Devices.Bus;

/// <summary>A port device with doorbells: writes that may arrive through <see cref="Doorbell.Ring"/> rather than <see cref="IPortIoDevice.Write"/>.</summary>
public interface IDoorbellDevice : IPortIoDevice
{
    IReadOnlyList<Doorbell> Doorbells { get; }
}
