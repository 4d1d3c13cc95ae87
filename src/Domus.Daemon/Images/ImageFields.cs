namespace Domus.Daemon.Images;

/// <summary>The form fields a new image's name, format and size come from, for errors shown beside them.</summary>
public sealed record ImageFields(string Name, string Format, string Size)
{
    /// <summary>The images page's own form.</summary>
    public static ImageFields Form { get; } = new("name", "format", "size");
}
