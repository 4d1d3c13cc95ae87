using System.Buffers.Binary;
using System.Text;

namespace Domus.Vmm.Boot.Acpi;

/// <summary>
/// An encoder for the few ACPI Machine Language terms a DSDT of this machine needs (ACPI 6.5, chapter 20):
/// names, scopes, devices, packages, integers, strings and EISA ids.
/// </summary>
public static class Aml
{
    private const byte NameOp = 0x08, ScopeOp = 0x10, PackageOp = 0x12, ExtOpPrefix = 0x5B, DeviceOp = 0x82;

    /// <summary>Name(path, value).</summary>
    public static byte[] Name(string path, byte[] value) => [NameOp, .. NameString(path), .. value];

    /// <summary>Scope(path) { terms }.</summary>
    public static byte[] Scope(string path, params byte[][] terms) => [ScopeOp, .. WithLength([.. NameString(path), .. terms.SelectMany(t => t)])];

    /// <summary>Device(name) { terms }.</summary>
    public static byte[] Device(string name, params byte[][] terms) => [ExtOpPrefix, DeviceOp, .. WithLength([.. NameString(name), .. terms.SelectMany(t => t)])];

    /// <summary>Package() { elements }.</summary>
    public static byte[] Package(params byte[][] elements) => [PackageOp, .. WithLength([(byte)elements.Length, .. elements.SelectMany(e => e)])];

    /// <summary>The shortest encoding of an integer constant.</summary>
    public static byte[] Integer(ulong value)
    {
        switch (value)
        {
            case 0:
                return [0x00];
            case 1:
                return [0x01];
            case <= byte.MaxValue:
                return [0x0A, (byte)value];
            case <= ushort.MaxValue:
                var word = new byte[3];
                word[0] = 0x0B;
                BinaryPrimitives.WriteUInt16LittleEndian(word.AsSpan(1), (ushort)value);
                return word;
            case <= uint.MaxValue:
                return DWord((uint)value);
            default:
                var quad = new byte[9];
                quad[0] = 0x0E;
                BinaryPrimitives.WriteUInt64LittleEndian(quad.AsSpan(1), value);
                return quad;
        }
    }

    public static byte[] String(string text) => [0x0D, .. Encoding.ASCII.GetBytes(text), 0x00];

    /// <summary>EISAID("PNP0A03"): three letters of five bits each and four hex digits, stored big-endian.</summary>
    public static byte[] EisaId(string id)
    {
        if (id.Length != 7)
        {
            throw new ArgumentException($"'{id}' is not an EISA id such as PNP0A03", nameof(id));
        }

        var vendor = ((id[0] - 0x40) << 10) | ((id[1] - 0x40) << 5) | (id[2] - 0x40);
        var product = Convert.ToUInt16(id[3..], 16);
        var encoded = new byte[4];
        BinaryPrimitives.WriteUInt16BigEndian(encoded, (ushort)vendor);
        BinaryPrimitives.WriteUInt16BigEndian(encoded.AsSpan(2), product);
        return DWord(BinaryPrimitives.ReadUInt32LittleEndian(encoded));
    }

    private static byte[] DWord(uint value)
    {
        var dword = new byte[5];
        dword[0] = 0x0C;
        BinaryPrimitives.WriteUInt32LittleEndian(dword.AsSpan(1), value);
        return dword;
    }

    /// <summary>A name: an optional root prefix and dot-separated segments, each padded to four characters with '_'.</summary>
    private static byte[] NameString(string path)
    {
        var rooted = path.StartsWith('\\');
        var segments = path.TrimStart('\\').Split('.');
        if (segments.Any(s => s.Length is 0 or > 4))
        {
            throw new ArgumentException($"'{path}' is not an ACPI name", nameof(path));
        }

        var name = new List<byte>();
        if (rooted)
        {
            name.Add((byte)'\\');
        }

        if (segments.Length == 2)
        {
            name.Add(0x2E); // DualNamePrefix
        }
        else if (segments.Length > 2)
        {
            name.Add(0x2F); // MultiNamePrefix
            name.Add((byte)segments.Length);
        }

        foreach (var segment in segments)
        {
            name.AddRange(Encoding.ASCII.GetBytes(segment.PadRight(4, '_')));
        }

        return [.. name];
    }

    /// <summary>Prefixes a body with its PkgLength, which counts itself: one byte up to 63, else 2-4 bytes.</summary>
    private static byte[] WithLength(byte[] body)
    {
        for (var extra = 0; extra < 4; extra++)
        {
            var total = body.Length + 1 + extra;
            if (extra == 0 && total <= 63)
            {
                return [(byte)total, .. body];
            }

            if (extra > 0 && total < 1 << (4 + (8 * extra)))
            {
                var encoded = new byte[1 + extra];
                encoded[0] = (byte)((extra << 6) | (total & 0x0F));
                for (var i = 1; i <= extra; i++)
                {
                    encoded[i] = (byte)(total >> (4 + (8 * (i - 1))));
                }

                return [.. encoded, .. body];
            }
        }

        throw new ArgumentException("AML package too large", nameof(body));
    }
}
