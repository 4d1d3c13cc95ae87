using Domus.Vmm.Backends.Input;

namespace Domus.Vmm.Backends.Tests.Input;

public sealed class KeymapTests
{
    [Theory]
    [InlineData("en-us", 'a', 0x1E)]
    [InlineData("en-us", 'A', 0x1E)]
    [InlineData("en-us", 'z', 0x2C)]
    [InlineData("en-us", '@', 0x03)]
    [InlineData("en-us", '\\', 0x2B)]
    [InlineData("en-us", 0xFFBE, 0x3B)] // F1
    [InlineData("en-us", 0xFF8D, 0xE01C)] // keypad Enter
    [InlineData("en-us", 0xFFEA, 0xE038)] // right Alt
    [InlineData("de", 'z', 0x15)]
    [InlineData("de", 'y', 0x2C)]
    [InlineData("de", '@', 0x10)]
    [InlineData("de", 'ß', 0x0C)]
    [InlineData("de", 'ä', 0x28)]
    [InlineData("de", '<', 0x56)]
    [InlineData("de", '|', 0x56)]
    [InlineData("de", 0x20AC, 0x12)] // Euro sign
    [InlineData("de", 0xFE51, 0x0D)] // dead acute
    [InlineData("de", 0xFE03, 0xE038)] // AltGr
    public void KeysymsMapToTheKeyThatCarriesThem(string layout, uint keysym, ushort scancode)
    {
        Assert.True(Keymap.ForLayout(layout).TryGetScancode(keysym, out var actual));
        Assert.Equal(scancode, actual);
    }

    [Fact]
    public void AKeysymNoKeyProducesIsNotMapped() => Assert.False(Keymap.ForLayout("en-us").TryGetScancode('ä', out _));

    [Fact]
    public void AnUnknownLayoutNamesTheKnownOnes()
    {
        var error = Assert.Throws<KeyNotFoundException>(() => Keymap.ForLayout("xx"));
        Assert.Contains("en-us", error.Message, StringComparison.Ordinal);
        Assert.Contains("de", Keymap.Names);
    }
}
