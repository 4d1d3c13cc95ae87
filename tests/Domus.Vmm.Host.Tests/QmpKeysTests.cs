using System.Text.Json.Nodes;

namespace Domus.Vmm.Host.Tests;

public sealed class QmpKeysTests
{
    private static JsonArray Keys(params string[] qcodes) => new([.. qcodes.Select(q => (JsonNode)new JsonObject { ["type"] = "qcode", ["data"] = q })]);

    [Fact]
    public void CtrlAltDeleteIsTheControlAltAndExtendedDeleteKeys()
    {
        Assert.Equal([0x1D, 0x38, 0xE053], QmpKeys.Parse(Keys("ctrl", "alt", "delete")));
    }

    [Fact]
    public void LettersDigitsAndFunctionKeysFollowTheirRows()
    {
        Assert.Equal([0x1E, 0x32, 0x02, 0x0B, 0x3B, 0x44, 0x58], QmpKeys.Parse(Keys("a", "m", "1", "0", "f1", "f10", "f12")));
    }

    [Fact]
    public void NumberKeysAreSetOneWithBitSevenForTheExtendedPrefix()
    {
        var keys = new JsonArray(new JsonObject { ["type"] = "number", ["data"] = 0x1D }, new JsonObject { ["type"] = "number", ["data"] = 0xD3 });
        Assert.Equal([0x1D, 0xE053], QmpKeys.Parse(keys));
    }

    [Fact]
    public void UnknownOrMissingKeysAreRefused()
    {
        Assert.Throws<QmpCommandException>(() => QmpKeys.Parse(Keys("ctrl", "hyper")));
        Assert.Throws<QmpCommandException>(() => QmpKeys.Parse(new JsonArray(new JsonObject { ["type"] = "number", ["data"] = 0x100 })));
        Assert.Throws<QmpCommandException>(() => QmpKeys.Parse([]));
        Assert.Throws<QmpCommandException>(() => QmpKeys.Parse(null));
    }
}
