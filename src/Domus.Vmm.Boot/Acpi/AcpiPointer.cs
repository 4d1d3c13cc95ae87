namespace Domus.Vmm.Boot.Acpi;

/// <summary>
/// A pointer field of <paramref name="Size"/> bytes at <paramref name="Offset"/> in <paramref name="In"/>: it holds an
/// offset into <paramref name="To"/> until the tables are placed, when <paramref name="To"/>'s address is added.
/// </summary>
public readonly record struct AcpiPointer(AcpiBlob In, int Offset, int Size, AcpiBlob To);
