namespace Domus.Config.Diagnostics;

/// <summary>Input quoted in a message, cut short: a 5,000-digit number must not make a 5,000-character message.</summary>
public static class Excerpt
{
    public const int MaxLength = 80;

    public static string Of(string text) => text.Length <= MaxLength ? text : string.Concat(text.AsSpan(0, MaxLength), "…");
}
