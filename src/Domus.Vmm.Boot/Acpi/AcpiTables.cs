using System.Buffers.Binary;
using System.Text;
using Domus.Vmm.Devices.Pci;
using Domus.Vmm.Devices.Platform;

namespace Domus.Vmm.Boot.Acpi;

/// <summary>
/// Builds the ACPI tables of the PC: an ACPI 1.0 RSDP and RSDT (as QEMU's i440FX machine has them), a revision 3
/// FADT with the PM block, the PM timer, the fixed power button and the reset register, the FACS, a MADT with
/// one local APIC per vCPU, the IOAPIC and the ISA interrupt overrides, and a DSDT with the soft-off state \_S5
/// and the PCI root bridge.
/// </summary>
public static class AcpiTables
{
    private const int HeaderLength = 36;
    private const string OemId = "DOMUS ", OemTableId = "DOMUSPC ", CreatorId = "DOMU";

    public static AcpiTableSet Build(AcpiPlatform platform)
    {
        var tables = new List<byte>();
        var pointers = new List<AcpiPointer>();
        var checksums = new List<AcpiChecksum>();

        int Append(byte[] table, bool checksummed = true, int alignment = 8)
        {
            while (tables.Count % alignment != 0)
            {
                tables.Add(0);
            }

            var offset = tables.Count;
            tables.AddRange(table);
            if (checksummed)
            {
                checksums.Add(new AcpiChecksum(AcpiBlob.Tables, offset + 9, offset, table.Length));
            }

            return offset;
        }

        var facs = Append(Facs(), checksummed: false, alignment: 64);
        var dsdt = Append(Table("DSDT", 2, Dsdt(platform)));
        var fadtBody = Fadt(platform);
        var fadt = Append(Table("FACP", 3, fadtBody));
        Link(pointers, tables, fadt + 36, facs);
        Link(pointers, tables, fadt + 40, dsdt);
        var madt = Append(Table("APIC", 1, Madt(platform)));
        var rsdt = Append(Table("RSDT", 1, new byte[8]));
        Link(pointers, tables, rsdt + HeaderLength, fadt);
        Link(pointers, tables, rsdt + HeaderLength + 4, madt);

        var rsdp = new byte[20];
        "RSD PTR "u8.CopyTo(rsdp);
        Encoding.ASCII.GetBytes(OemId, rsdp.AsSpan(9));
        BinaryPrimitives.WriteUInt32LittleEndian(rsdp.AsSpan(16), (uint)rsdt);
        pointers.Add(new AcpiPointer(AcpiBlob.Rsdp, 16, 4, AcpiBlob.Tables));
        checksums.Add(new AcpiChecksum(AcpiBlob.Rsdp, 8, 0, rsdp.Length));
        return new AcpiTableSet(rsdp, [.. tables], pointers, checksums);
    }

    /// <summary>Makes the 32-bit field at <paramref name="field"/> point at the table at <paramref name="target"/>.</summary>
    private static void Link(List<AcpiPointer> pointers, List<byte> tables, int field, int target)
    {
        for (var i = 0; i < 4; i++)
        {
            tables[field + i] = (byte)(target >> (8 * i));
        }

        pointers.Add(new AcpiPointer(AcpiBlob.Tables, field, 4, AcpiBlob.Tables));
    }

    /// <summary>A system description table: the 36-byte header, checksum left for placement, then the body.</summary>
    private static byte[] Table(string signature, byte revision, ReadOnlySpan<byte> body)
    {
        var table = new byte[HeaderLength + body.Length];
        Encoding.ASCII.GetBytes(signature, table);
        BinaryPrimitives.WriteUInt32LittleEndian(table.AsSpan(4), (uint)table.Length);
        table[8] = revision;
        Encoding.ASCII.GetBytes(OemId, table.AsSpan(10));
        Encoding.ASCII.GetBytes(OemTableId, table.AsSpan(16));
        BinaryPrimitives.WriteUInt32LittleEndian(table.AsSpan(24), 1);
        Encoding.ASCII.GetBytes(CreatorId, table.AsSpan(28));
        BinaryPrimitives.WriteUInt32LittleEndian(table.AsSpan(32), 1);
        body.CopyTo(table.AsSpan(HeaderLength));
        return table;
    }

    private static byte[] Facs()
    {
        var facs = new byte[64];
        "FACS"u8.CopyTo(facs);
        BinaryPrimitives.WriteUInt32LittleEndian(facs.AsSpan(4), (uint)facs.Length);
        facs[32] = 1; // version
        return facs;
    }

    /// <summary>The FADT after its header (244 bytes in all); the FACS and DSDT pointers are linked by the caller.</summary>
    private static byte[] Fadt(AcpiPlatform platform)
    {
        var body = new byte[244 - HeaderLength];
        void Put16(int offset, int value) => BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(offset - HeaderLength), (ushort)value);
        void Put32(int offset, uint value) => BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(offset - HeaderLength), value);
        void Put8(int offset, byte value) => body[offset - HeaderLength] = value;
        Put16(46, platform.SciIrq);
        Put32(56, (uint)(platform.PmBase + AcpiPowerManagement.EventBlock));
        Put32(64, (uint)(platform.PmBase + AcpiPowerManagement.ControlBlock));
        Put32(76, (uint)(platform.PmBase + AcpiPowerManagement.Timer));
        Put8(88, 4); // PM1_EVT_LEN
        Put8(89, 2); // PM1_CNT_LEN
        Put8(91, 4); // PM_TMR_LEN
        Put16(96, 0x0FFF); // no C2
        Put16(98, 0x0FFF); // no C3
        Put8(108, platform.CmosCentury);
        Put16(109, 0x0001); // IAPC_BOOT_ARCH: legacy devices
        // WBINVD, C1 on all processors, no sleep button, 32-bit PM timer, reset register; the power button is a fixed feature.
        Put32(112, 0x0001 | 0x0004 | 0x0020 | 0x0100 | 0x0400);
        Put8(116, 1); // RESET_REG: system I/O
        Put8(117, 8);
        Put8(119, 1);
        Put32(120, platform.ResetPort);
        Put8(128, platform.ResetValue);
        return body;
    }

    private static byte[] Madt(AcpiPlatform platform)
    {
        var entries = new List<byte[]>();
        for (var cpu = 0; cpu < platform.Vcpus; cpu++)
        {
            entries.Add([0, 8, (byte)cpu, (byte)cpu, 1, 0, 0, 0]); // processor local APIC, enabled
        }

        var ioApic = new byte[12];
        ioApic[0] = 1;
        ioApic[1] = 12;
        BinaryPrimitives.WriteUInt32LittleEndian(ioApic.AsSpan(4), platform.IoApicAddress);
        entries.Add(ioApic);
        entries.Add(Override(0, 2, 0)); // the PIT's IRQ 0 is the IOAPIC's pin 2
        entries.Add(Override(platform.SciIrq, platform.SciIrq, 0x000D)); // the SCI is level-triggered, active high
        entries.Add([4, 6, 0xFF, 0, 0, 1]); // every local APIC's LINT1 is the NMI

        var body = new byte[8 + entries.Sum(e => e.Length)];
        BinaryPrimitives.WriteUInt32LittleEndian(body, platform.LocalApicAddress);
        BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(4), 1); // PCAT_COMPAT: there are 8259s too
        var position = 8;
        foreach (var entry in entries)
        {
            entry.CopyTo(body, position);
            position += entry.Length;
        }

        return body;
    }

    private static byte[] Override(byte source, uint gsi, ushort flags)
    {
        var entry = new byte[10];
        entry[0] = 2;
        entry[1] = 10;
        entry[3] = source;
        BinaryPrimitives.WriteUInt32LittleEndian(entry.AsSpan(4), gsi);
        BinaryPrimitives.WriteUInt16LittleEndian(entry.AsSpan(8), flags);
        return entry;
    }

    private static byte[] Dsdt(AcpiPlatform platform) =>
    [
        .. Aml.Name("\\_S5", Aml.Package(Aml.Integer(platform.SoftOffSleepType), Aml.Integer(platform.SoftOffSleepType), Aml.Integer(0), Aml.Integer(0))),
        .. Aml.Scope(
            "\\_SB",
            Aml.Device(
                "PCI0",
                [
                    Aml.Name("_HID", Aml.EisaId("PNP0A03")),
                    Aml.Name("_ADR", Aml.Integer(0)),
                    Aml.Name("_UID", Aml.Integer(0)),
                    .. PciRouting(platform.PciIrqs),
                ])),
    ];

    /// <summary>
    /// _PRT: for every slot (1-31) and pin, the GSI it reaches, as a hardwired entry (source 0) rather than through
    /// PCI link devices: the PIRQ routing is fixed at <see cref="AcpiPlatform.PciIrqs"/>, so there is nothing to
    /// choose. Linux then programs those IOAPIC pins level-triggered, as shared PCI lines need.
    /// </summary>
    private static byte[][] PciRouting(IReadOnlyList<byte> pirqGsis)
    {
        if (pirqGsis.Count == 0)
        {
            return [];
        }

        var entries = new List<byte[]>();
        for (var slot = 1; slot < 32; slot++)
        {
            for (var pin = 0; pin < 4; pin++)
            {
                var gsi = pirqGsis[PciInterruptRouter.Pirq(slot, pin)];
                entries.Add(Aml.Package(Aml.Integer(((ulong)slot << 16) | 0xFFFF), Aml.Integer((ulong)pin), Aml.Integer(0), Aml.Integer(gsi)));
            }
        }

        return [Aml.Name("_PRT", Aml.Package([.. entries]))];
    }
}
