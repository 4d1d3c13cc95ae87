using System.Text.Json.Nodes;

namespace Domus.Vmm.Host;

/// <summary>
/// The keys of QMP's <c>send-key</c> as PC scancodes of set 1 (0xE0 in the high byte for extended keys, as
/// <see cref="Domus.Vmm.Backends.Input.IKeyboardInput"/> takes them): QEMU's qcodes of the keys a console needs,
/// and <c>number</c> keys, which QEMU numbers as set 1 with bit 7 for the 0xE0 prefix.
/// </summary>
public static class QmpKeys
{
    private static readonly Dictionary<string, ushort> Qcodes = Build();

    /// <exception cref="QmpCommandException">A key is malformed or not one this table knows.</exception>
    public static IReadOnlyList<ushort> Parse(JsonArray? keys)
    {
        if (keys is null || keys.Count == 0)
        {
            throw new QmpCommandException("send-key: 'keys' lists at least one key");
        }

        return [.. keys.Select(Scancode)];
    }

    private static ushort Scancode(JsonNode? key)
    {
        var type = key?["type"]?.GetValue<string>();
        var data = key?["data"];
        return type switch
        {
            "qcode" when Qcodes.TryGetValue(data?.GetValue<string>() ?? "", out var scancode) => scancode,
            "number" when data?.GetValue<int>() is int number and > 0 and <= 0xFF => number < 0x80 ? (ushort)number : (ushort)(0xE000 | (number & 0x7F)),
            _ => throw new QmpCommandException($"send-key: unknown key {key?.ToJsonString()}"),
        };
    }

    private static Dictionary<string, ushort> Build()
    {
        var table = new Dictionary<string, ushort>(StringComparer.Ordinal)
        {
            ["esc"] = 0x01, ["minus"] = 0x0C, ["equal"] = 0x0D, ["backspace"] = 0x0E, ["tab"] = 0x0F, ["ret"] = 0x1C,
            ["ctrl"] = 0x1D, ["shift"] = 0x2A, ["shift_r"] = 0x36, ["alt"] = 0x38, ["spc"] = 0x39, ["caps_lock"] = 0x3A,
            ["f11"] = 0x57, ["f12"] = 0x58, ["ctrl_r"] = 0xE01D, ["alt_r"] = 0xE038, ["sysrq"] = 0xE037,
            ["home"] = 0xE047, ["up"] = 0xE048, ["pgup"] = 0xE049, ["left"] = 0xE04B, ["right"] = 0xE04D,
            ["end"] = 0xE04F, ["down"] = 0xE050, ["pgdn"] = 0xE051, ["insert"] = 0xE052, ["delete"] = 0xE053,
            ["meta_l"] = 0xE05B, ["meta_r"] = 0xE05C, ["menu"] = 0xE05D,
        };
        AddRow(table, "1234567890", 0x02);
        AddRow(table, "qwertyuiop", 0x10);
        AddRow(table, "asdfghjkl", 0x1E);
        AddRow(table, "zxcvbnm", 0x2C);
        for (var f = 1; f <= 10; f++)
        {
            table[$"f{f}"] = (ushort)(0x3A + f);
        }

        return table;
    }

    private static void AddRow(Dictionary<string, ushort> table, string keys, ushort first)
    {
        for (var i = 0; i < keys.Length; i++)
        {
            table[keys[i].ToString()] = (ushort)(first + i);
        }
    }
}
