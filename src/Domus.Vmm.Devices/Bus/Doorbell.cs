namespace Domus.Vmm.Devices.Bus;

/// <summary>
/// A register write that only starts work: <paramref name="Value"/>, <paramref name="Length"/> bytes wide, written at
/// <paramref name="Offset"/> of the device's ports. The machine may take such writes without stopping the vCPU (a KVM
/// ioeventfd) and call <paramref name="Ring"/> on a thread of its own instead of the device's Write, once for one
/// write or for several.
/// </summary>
public sealed record Doorbell(ushort Offset, int Length, uint Value, Action Ring);
