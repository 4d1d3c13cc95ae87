using System.Collections.Frozen;

namespace Domus.Vmm.Backends.Input;

/// <summary>
/// Which PC key (set-1 scancode, 0xE0xx for extended keys) produces an X11 keysym on a guest keyboard layout,
/// as the domain's <c>keymap</c> names it. A console sends the modifiers its user holds as keys of their own,
/// so a shifted or AltGr character maps to the key that carries it. Layouts: <c>en-us</c> and <c>de</c>.
/// </summary>
public sealed class Keymap
{
    /// <summary>Keys whose keysym does not depend on the layout: editing, cursor, function, keypad and modifier keys.</summary>
    private static readonly (uint Keysym, ushort Scancode)[] CommonKeys =
    [
        (0xFF08, 0x0E), (0xFF09, 0x0F), (0xFF0D, 0x1C), (0xFF1B, 0x01), (0xFFFF, 0xE053), (0x0020, 0x39),
        (0xFF50, 0xE047), (0xFF51, 0xE04B), (0xFF52, 0xE048), (0xFF53, 0xE04D), (0xFF54, 0xE050),
        (0xFF55, 0xE049), (0xFF56, 0xE051), (0xFF57, 0xE04F), (0xFF63, 0xE052), (0xFF67, 0xE05D),
        (0xFF61, 0xE037), (0xFF15, 0x54), (0xFF14, 0x46), (0xFF7F, 0x45),
        (0xFFBE, 0x3B), (0xFFBF, 0x3C), (0xFFC0, 0x3D), (0xFFC1, 0x3E), (0xFFC2, 0x3F), (0xFFC3, 0x40),
        (0xFFC4, 0x41), (0xFFC5, 0x42), (0xFFC6, 0x43), (0xFFC7, 0x44), (0xFFC8, 0x57), (0xFFC9, 0x58),
        (0xFFE1, 0x2A), (0xFFE2, 0x36), (0xFFE3, 0x1D), (0xFFE4, 0xE01D), (0xFFE5, 0x3A),
        (0xFFE7, 0x38), (0xFFE9, 0x38), (0xFFEA, 0xE038), (0xFE03, 0xE038), (0xFFEB, 0xE05B), (0xFFEC, 0xE05C),
        (0xFF8D, 0xE01C), (0xFFAA, 0x37), (0xFFAB, 0x4E), (0xFFAD, 0x4A), (0xFFAE, 0x53), (0xFFAF, 0xE035),
        (0xFFB0, 0x52), (0xFFB1, 0x4F), (0xFFB2, 0x50), (0xFFB3, 0x51), (0xFFB4, 0x4B), (0xFFB5, 0x4C),
        (0xFFB6, 0x4D), (0xFFB7, 0x47), (0xFFB8, 0x48), (0xFFB9, 0x49),
        (0xFF95, 0x47), (0xFF96, 0x4B), (0xFF97, 0x48), (0xFF98, 0x4D), (0xFF99, 0x50), (0xFF9A, 0x49),
        (0xFF9B, 0x51), (0xFF9C, 0x4F), (0xFF9D, 0x4C), (0xFF9E, 0x52), (0xFF9F, 0x53),
    ];

    /// <summary>The character keys of a US keyboard: each key's characters, unshifted then shifted.</summary>
    private static readonly (ushort Scancode, string Characters)[] UnitedStates =
    [
        (0x02, "1!"), (0x03, "2@"), (0x04, "3#"), (0x05, "4$"), (0x06, "5%"), (0x07, "6^"), (0x08, "7&"),
        (0x09, "8*"), (0x0A, "9("), (0x0B, "0)"), (0x0C, "-_"), (0x0D, "=+"),
        (0x10, "qQ"), (0x11, "wW"), (0x12, "eE"), (0x13, "rR"), (0x14, "tT"), (0x15, "yY"), (0x16, "uU"),
        (0x17, "iI"), (0x18, "oO"), (0x19, "pP"), (0x1A, "[{"), (0x1B, "]}"),
        (0x1E, "aA"), (0x1F, "sS"), (0x20, "dD"), (0x21, "fF"), (0x22, "gG"), (0x23, "hH"), (0x24, "jJ"),
        (0x25, "kK"), (0x26, "lL"), (0x27, ";:"), (0x28, "'\""), (0x29, "`~"), (0x2B, "\\|"),
        (0x2C, "zZ"), (0x2D, "xX"), (0x2E, "cC"), (0x2F, "vV"), (0x30, "bB"), (0x31, "nN"), (0x32, "mM"),
        (0x33, ",<"), (0x34, ".>"), (0x35, "/?"),
    ];

    /// <summary>The German T2 layout: unshifted, shifted, then AltGr characters; dead keys are added separately.</summary>
    private static readonly (ushort Scancode, string Characters)[] German =
    [
        (0x02, "1!"), (0x03, "2\"²"), (0x04, "3§³"), (0x05, "4$"), (0x06, "5%"), (0x07, "6&"), (0x08, "7/{"),
        (0x09, "8(["), (0x0A, "9)]"), (0x0B, "0=}"), (0x0C, "ß?\\"),
        (0x10, "qQ@"), (0x11, "wW"), (0x12, "eE€"), (0x13, "rR"), (0x14, "tT"), (0x15, "zZ"), (0x16, "uU"),
        (0x17, "iI"), (0x18, "oO"), (0x19, "pP"), (0x1A, "üÜ"), (0x1B, "+*~"),
        (0x1E, "aA"), (0x1F, "sS"), (0x20, "dD"), (0x21, "fF"), (0x22, "gG"), (0x23, "hH"), (0x24, "jJ"),
        (0x25, "kK"), (0x26, "lL"), (0x27, "öÖ"), (0x28, "äÄ"), (0x29, "^°"), (0x2B, "#'"), (0x56, "<>|"),
        (0x2C, "yY"), (0x2D, "xX"), (0x2E, "cC"), (0x2F, "vV"), (0x30, "bB"), (0x31, "nN"), (0x32, "mMµ"),
        (0x33, ",;"), (0x34, ".:"), (0x35, "-_"),
    ];

    // dead_grave, dead_acute and dead_circumflex: the German keys that compose accents.
    private static readonly (uint Keysym, ushort Scancode)[] GermanDeadKeys = [(0xFE50, 0x0D), (0xFE51, 0x0D), (0xFE52, 0x29)];

    private static readonly FrozenDictionary<string, Keymap> Layouts = new Dictionary<string, Keymap>
    {
        ["en-us"] = new(UnitedStates, []),
        ["de"] = new(German, GermanDeadKeys),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private readonly FrozenDictionary<uint, ushort> _scancodes;

    private Keymap((ushort Scancode, string Characters)[] characterKeys, (uint Keysym, ushort Scancode)[] extraKeys)
    {
        var scancodes = new Dictionary<uint, ushort>();
        foreach (var (keysym, scancode) in CommonKeys.Concat(extraKeys))
        {
            scancodes[keysym] = scancode;
        }

        foreach (var (scancode, characters) in characterKeys)
        {
            foreach (var character in characters)
            {
                scancodes.TryAdd(Keysym(character), scancode);
            }
        }

        _scancodes = scancodes.ToFrozenDictionary();
    }

    public static IEnumerable<string> Names => Layouts.Keys;

    /// <summary>The layout of that name; an unknown name is a <see cref="KeyNotFoundException"/> listing the known ones.</summary>
    public static Keymap ForLayout(string name) =>
        Layouts.TryGetValue(name, out var keymap) ? keymap
            : throw new KeyNotFoundException($"no keymap '{name}'; there are {string.Join(", ", Layouts.Keys)}");

    public bool TryGetScancode(uint keysym, out ushort scancode) => _scancodes.TryGetValue(keysym, out scancode);

    /// <summary>Latin-1 characters are their own keysyms; others are 0x01000000 plus the code point, the Euro sign keeps its legacy keysym.</summary>
    private static uint Keysym(char character) => character switch
    {
        <= '\u00FF' => character,
        '€' => 0x20AC,
        _ => 0x01000000u + character,
    };
}
