using System.Text.RegularExpressions;

namespace Domus.Config.Specs;

/// <summary>Linux network interface names (bridges, taps): what the kernel accepts and a shell or tool never misreads.</summary>
public static partial class InterfaceName
{
    public const int MaxLength = 15;

    public static bool IsValid(string name) => ValidName().IsMatch(name);

    public static string Rule => $"1 to {MaxLength} characters of letters, digits, '_', '.' and '-', starting with a letter or digit";

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_.-]{0,14}\z")]
    private static partial Regex ValidName();
}
