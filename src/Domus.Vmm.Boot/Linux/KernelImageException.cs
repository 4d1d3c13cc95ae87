namespace Domus.Vmm.Boot.Linux;

/// <summary>A kernel or initrd that cannot be booted, with the reason in words.</summary>
public sealed class KernelImageException(string message) : Exception(message);
