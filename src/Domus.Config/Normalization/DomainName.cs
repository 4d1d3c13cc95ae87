using System.Text.RegularExpressions;

namespace Domus.Config.Normalization;

/// <summary>
/// What a domain may be called. Names end up in file names, interface descriptions and QEMU's argv, and
/// <c>domus list 5</c> must not wonder whether 5 is a name or an id; so a name has no '/', no spaces, does
/// not start with '-' or '.', and is not all digits. Domain-0 is the host.
/// </summary>
public static partial class DomainName
{
    public const int MaxLength = 64;
    public const string Host = "Domain-0";

    public static string Rule =>
        $"up to {MaxLength} letters, digits and '_', '.', '-', '+', ':', '@', ',', starting with a letter, digit or '_', not all digits";

    public static string? Problem(string name) => name switch
    {
        "" => "the name is empty",
        Host => "'Domain-0' is the host's own name",
        _ when name.Length > MaxLength => $"the name is longer than {MaxLength} characters",
        _ when name.All(char.IsAsciiDigit) => "a name of digits only would be read as a domain id",
        _ when !ValidName().IsMatch(name) => $"'{name}' is not a valid domain name: a name is {Rule}",
        _ => null,
    };

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_.+:@,-]*\\z")]
    private static partial Regex ValidName();
}
