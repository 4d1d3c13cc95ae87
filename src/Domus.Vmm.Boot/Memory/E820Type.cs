namespace Domus.Vmm.Boot.Memory;

/// <summary>Types of the BIOS e820 memory map.</summary>
public enum E820Type : uint
{
    Ram = 1,
    Reserved = 2,
    Acpi = 3,
}
