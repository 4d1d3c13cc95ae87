namespace Domus.Api;

/// <summary>
/// A new, empty disk image in the image directory: <see cref="Name"/> is its file name, <see cref="Format"/>
/// <c>raw</c> or <c>qcow2</c>, <see cref="Size"/> a number with a unit (<c>512M</c>, <c>20G</c>; powers of 1024).
/// </summary>
public sealed record CreateImageRequest(string Name, string Format, string Size);
