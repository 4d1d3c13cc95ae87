namespace Domus.Vmm.Machine;

/// <summary>A PC that starts a Linux kernel directly, as xm's <c>kernel</c>, <c>ramdisk</c> and <c>cmdline</c> ask.</summary>
public sealed record KernelSetup
{
    /// <summary>A bzImage, or an ELF vmlinux with a PVH entry.</summary>
    public required byte[] Kernel { get; init; }

    public byte[]? Initrd { get; init; }

    public string CommandLine { get; init; } = "";
}
