namespace Domus.Vmm.Devices.Input;

/// <summary>
/// Scancode set 1 to set 2, and the i8042's translation of set 2 back to set 1. Extended keys (0xE0 prefix)
/// use the same table for their second byte; Windows and Menu keys exist only extended.
/// </summary>
internal static class Ps2Scancodes
{
    public const byte Extended = 0xE0, Break = 0xF0;

    /// <summary>Set-2 code of each set-1 code 0x00-0x5D; zero where no key has that code.</summary>
    private static readonly byte[] Set1ToSet2 =
    [
        0x00, 0x76, 0x16, 0x1E, 0x26, 0x25, 0x2E, 0x36, 0x3D, 0x3E, 0x46, 0x45, 0x4E, 0x55, 0x66, 0x0D,
        0x15, 0x1D, 0x24, 0x2D, 0x2C, 0x35, 0x3C, 0x43, 0x44, 0x4D, 0x54, 0x5B, 0x5A, 0x14, 0x1C, 0x1B,
        0x23, 0x2B, 0x34, 0x33, 0x3B, 0x42, 0x4B, 0x4C, 0x52, 0x0E, 0x12, 0x5D, 0x1A, 0x22, 0x21, 0x2A,
        0x32, 0x31, 0x3A, 0x41, 0x49, 0x4A, 0x59, 0x7C, 0x11, 0x29, 0x58, 0x05, 0x06, 0x04, 0x0C, 0x03,
        0x0B, 0x83, 0x0A, 0x01, 0x09, 0x77, 0x7E, 0x6C, 0x75, 0x7D, 0x7B, 0x6B, 0x73, 0x74, 0x79, 0x69,
        0x72, 0x7A, 0x70, 0x71, 0x84, 0x00, 0x61, 0x78, 0x07, 0x00, 0x00, 0x1F, 0x27, 0x2F,
    ];

    private static readonly byte[] Set2ToSet1 = InvertSet1ToSet2();

    /// <summary>The set-2 bytes of a key's make or break.</summary>
    public static int ToSet2(ushort set1, bool pressed, Span<byte> bytes)
    {
        var code = set1 & 0x7F;
        if (!IsKey(code))
        {
            return 0;
        }

        var length = 0;
        if (set1 >> 8 == Extended)
        {
            bytes[length++] = Extended;
        }

        if (!pressed)
        {
            bytes[length++] = Break;
        }

        bytes[length++] = Set1ToSet2[code];
        return length;
    }

    /// <summary>The set-1 bytes of a key's make or break.</summary>
    public static int ToSet1(ushort set1, bool pressed, Span<byte> bytes)
    {
        var code = set1 & 0x7F;
        if (!IsKey(code))
        {
            return 0;
        }

        var length = 0;
        if (set1 >> 8 == Extended)
        {
            bytes[length++] = Extended;
        }

        bytes[length++] = (byte)(code | (pressed ? 0 : 0x80));
        return length;
    }

    /// <summary>The controller's translation: a break prefix folds into bit 7 of the next code; other bytes map through the table.</summary>
    public static int Translate(ReadOnlySpan<byte> set2, Span<byte> set1)
    {
        var length = 0;
        var breaking = false;
        foreach (var value in set2)
        {
            if (value == Break)
            {
                breaking = true;
                continue;
            }

            set1[length++] = (byte)(Set2ToSet1[value] | (breaking ? 0x80 : 0));
            breaking = false;
        }

        return length;
    }

    private static bool IsKey(int code) => code < Set1ToSet2.Length && Set1ToSet2[code] != 0;

    private static byte[] InvertSet1ToSet2()
    {
        var table = new byte[256];
        for (var value = 0; value < 256; value++)
        {
            table[value] = (byte)value;
        }

        for (var set1 = 1; set1 < Set1ToSet2.Length; set1++)
        {
            if (Set1ToSet2[set1] != 0)
            {
                table[Set1ToSet2[set1]] = (byte)set1;
            }
        }

        return table;
    }
}
