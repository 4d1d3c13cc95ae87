using System.Buffers.Binary;
using System.Text;
using Domus.Vmm.Devices.FwCfg;

namespace Domus.Vmm.Boot.Acpi;

/// <summary>
/// ACPI tables with their pointers and checksums still to be resolved, so that they can go either straight into
/// guest memory at known addresses (<see cref="Place"/>, for a directly booted kernel) or to the firmware through
/// fw_cfg with QEMU's linker/loader script (<see cref="Publish"/>), which SeaBIOS executes to place them itself.
/// </summary>
public sealed class AcpiTableSet(byte[] rsdp, byte[] tables, IReadOnlyList<AcpiPointer> pointers, IReadOnlyList<AcpiChecksum> checksums)
{
    public const string RsdpFile = "etc/acpi/rsdp", TablesFile = "etc/acpi/tables", LoaderFile = "etc/table-loader";
    private const int LoaderCommandSize = 128, LoaderFileNameSize = 56;
    private const byte ZoneHigh = 1, ZoneFSeg = 2;

    public int RsdpLength => rsdp.Length;

    public int TablesLength => tables.Length;

    /// <summary>The RSDP and the tables with every pointer and checksum resolved for the given addresses.</summary>
    public (byte[] Rsdp, byte[] Tables) Place(ulong rsdpAddress, ulong tablesAddress)
    {
        var placed = new Dictionary<AcpiBlob, byte[]> { [AcpiBlob.Rsdp] = (byte[])rsdp.Clone(), [AcpiBlob.Tables] = (byte[])tables.Clone() };
        var bases = new Dictionary<AcpiBlob, ulong> { [AcpiBlob.Rsdp] = rsdpAddress, [AcpiBlob.Tables] = tablesAddress };
        foreach (var pointer in pointers)
        {
            var field = placed[pointer.In].AsSpan(pointer.Offset, pointer.Size);
            if (pointer.Size == 8)
            {
                BinaryPrimitives.WriteUInt64LittleEndian(field, BinaryPrimitives.ReadUInt64LittleEndian(field) + bases[pointer.To]);
            }
            else
            {
                BinaryPrimitives.WriteUInt32LittleEndian(field, checked((uint)(BinaryPrimitives.ReadUInt32LittleEndian(field) + bases[pointer.To])));
            }
        }

        foreach (var checksum in checksums)
        {
            var blob = placed[checksum.In];
            blob[checksum.Offset] = 0;
            byte sum = 0;
            foreach (var b in blob.AsSpan(checksum.Start, checksum.Length))
            {
                sum += b;
            }

            blob[checksum.Offset] = (byte)-sum;
        }

        return (placed[AcpiBlob.Rsdp], placed[AcpiBlob.Tables]);
    }

    /// <summary>Hands the tables to firmware: the two blobs and the script that allocates, links and checksums them.</summary>
    public void Publish(FwCfgDevice fwCfg)
    {
        var commands = new List<byte[]>
        {
            Allocate(RsdpFile, 16, ZoneFSeg),
            Allocate(TablesFile, 64, ZoneHigh),
        };
        commands.AddRange(pointers.Select(p => AddPointer(FileOf(p.In), FileOf(p.To), p.Offset, p.Size)));
        commands.AddRange(checksums.Select(c => AddChecksum(FileOf(c.In), c.Offset, c.Start, c.Length)));
        fwCfg.AddFile(RsdpFile, (byte[])rsdp.Clone());
        fwCfg.AddFile(TablesFile, (byte[])tables.Clone());
        fwCfg.AddFile(LoaderFile, [.. commands.SelectMany(c => c)]);
    }

    private static string FileOf(AcpiBlob blob) => blob == AcpiBlob.Rsdp ? RsdpFile : TablesFile;

    private static byte[] Command(uint kind, out Span<byte> body)
    {
        var command = new byte[LoaderCommandSize];
        BinaryPrimitives.WriteUInt32LittleEndian(command, kind);
        body = command.AsSpan(4);
        return command;
    }

    private static void PutName(Span<byte> field, string name) => Encoding.ASCII.GetBytes(name, field[..LoaderFileNameSize]);

    private static byte[] Allocate(string file, uint alignment, byte zone)
    {
        var command = Command(1, out var body);
        PutName(body, file);
        BinaryPrimitives.WriteUInt32LittleEndian(body[LoaderFileNameSize..], alignment);
        body[LoaderFileNameSize + 4] = zone;
        return command;
    }

    private static byte[] AddPointer(string destination, string source, int offset, int size)
    {
        var command = Command(2, out var body);
        PutName(body, destination);
        PutName(body[LoaderFileNameSize..], source);
        BinaryPrimitives.WriteUInt32LittleEndian(body[(2 * LoaderFileNameSize)..], (uint)offset);
        body[(2 * LoaderFileNameSize) + 4] = (byte)size;
        return command;
    }

    private static byte[] AddChecksum(string file, int offset, int start, int length)
    {
        var command = Command(3, out var body);
        PutName(body, file);
        BinaryPrimitives.WriteUInt32LittleEndian(body[LoaderFileNameSize..], (uint)offset);
        BinaryPrimitives.WriteUInt32LittleEndian(body[(LoaderFileNameSize + 4)..], (uint)start);
        BinaryPrimitives.WriteUInt32LittleEndian(body[(LoaderFileNameSize + 8)..], (uint)length);
        return command;
    }
}
