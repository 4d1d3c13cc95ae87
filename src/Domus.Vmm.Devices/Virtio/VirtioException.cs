namespace Domus.Vmm.Devices.Virtio;

/// <summary>The driver broke the virtio protocol; the device stops until the driver resets it.</summary>
public sealed class VirtioException(string message) : Exception(message);
