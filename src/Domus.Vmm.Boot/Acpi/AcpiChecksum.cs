namespace Domus.Vmm.Boot.Acpi;

/// <summary>A checksum byte at <paramref name="Offset"/> that makes <paramref name="Length"/> bytes from <paramref name="Start"/> sum to zero.</summary>
public readonly record struct AcpiChecksum(AcpiBlob In, int Offset, int Start, int Length);
