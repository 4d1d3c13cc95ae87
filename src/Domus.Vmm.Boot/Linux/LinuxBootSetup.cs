using Domus.Vmm.Boot.Memory;

namespace Domus.Vmm.Boot.Linux;

/// <summary>What a directly booted kernel is given: its image, an initrd, the command line, and the machine's memory map.</summary>
public sealed record LinuxBootSetup
{
    /// <summary>A bzImage (64-bit boot protocol) or an ELF vmlinux with a PVH entry note.</summary>
    public required byte[] Kernel { get; init; }

    public byte[]? Initrd { get; init; }

    public string CommandLine { get; init; } = "";

    public required IReadOnlyList<E820Entry> MemoryMap { get; init; }

    /// <summary>Where the ACPI RSDP lies, told to kernels that accept it (boot protocol 2.14, PVH).</summary>
    public ulong RsdpAddress { get; init; }
}
