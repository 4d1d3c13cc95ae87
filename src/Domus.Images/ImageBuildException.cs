namespace Domus.Images;

/// <summary>An image could not be built; the message says why and what to install or fix.</summary>
public sealed class ImageBuildException(string message) : Exception(message);
