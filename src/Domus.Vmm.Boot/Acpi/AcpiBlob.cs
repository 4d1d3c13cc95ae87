namespace Domus.Vmm.Boot.Acpi;

/// <summary>The two pieces ACPI tables are placed in: the RSDP (in the BIOS area, where it is searched for) and the tables.</summary>
public enum AcpiBlob
{
    Rsdp,
    Tables,
}
