namespace Domus.Tests.Screens;

/// <summary>What an <see cref="RfbClient"/> asks for: the protocol version (3.3, 3.7 or 3.8), its pixel size and its encodings, preferred first.</summary>
public sealed record RfbClientOptions
{
    public int MinorVersion { get; init; } = 8;

    public int BitsPerPixel { get; init; } = 32;

    public int[] Encodings { get; init; } = [RfbClient.EncodingRaw];
}
