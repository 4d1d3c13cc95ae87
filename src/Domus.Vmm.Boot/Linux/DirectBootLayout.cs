namespace Domus.Vmm.Boot.Linux;

/// <summary>
/// Where a directly booted kernel's surroundings go in low memory, clear of the real-mode IVT and BDA below
/// 0x500, the EBDA from 0x9FC00 and the BIOS area from 0xE0000 (where the ACPI tables lie).
/// </summary>
public static class DirectBootLayout
{
    public const ulong Gdt = 0x500;
    public const ulong PvhStartInfo = 0x6000, PvhModules = 0x6040, PvhMemoryMap = 0x6100;
    public const ulong BootParams = 0x7000;
    public const ulong StackTop = 0x8FF0;

    /// <summary>PML4, PDPT and four page directories: the first 4 GiB identity-mapped with 2 MiB pages.</summary>
    public const ulong Pml4 = 0x9000, Pdpt = 0xA000, PageDirectories = 0xB000;

    public const ulong CommandLine = 0x2_0000, CommandLineLimit = 0x1_0000;

    /// <summary>A bzImage's protected-mode kernel is loaded at 1 MiB, as every boot loader does.</summary>
    public const ulong KernelAddress = 0x10_0000;

    public const ulong ExtendedBiosDataArea = 0x9_FC00, BiosArea = 0xE_0000, OneMiB = 0x10_0000;
}
