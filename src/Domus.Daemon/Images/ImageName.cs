using System.Text.RegularExpressions;

namespace Domus.Daemon.Images;

/// <summary>
/// What an image in the image directory may be called: a plain file name, so that it can name no other directory,
/// be read as an option by qemu-img, or be split by a disk spec's commas.
/// </summary>
public static partial class ImageName
{
    public const int MaxLength = 128;

    public static string Rule => $"1 to {MaxLength} letters, digits, '_', '.', '+' and '-', starting with a letter, digit or '_'";

    public static string? Problem(string? name) => name is not null && ValidName().IsMatch(name) ? null : $"'{name}' is not an image name: a name is {Rule} (no '/': images live in the image directory)";

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_.+-]{0,127}\\z")]
    private static partial Regex ValidName();
}
