namespace Domus.Daemon.Images;

/// <summary>An image to make, checked: its final path in the image directory, its format and size in bytes.</summary>
public sealed record NewImage(string Name, string Path, string Format, long Bytes);
