using Domus.Api;

namespace Domus.Cli;

/// <summary>
/// Finds a domain configuration as xm did (<c>.</c>, then the configuration directory): a name with a '/'
/// is used as given; a bare name is looked for in the working directory, then the managed directory
/// (<c>$DOMUS_HOME/vm</c>, or <c>/etc/domus/vm</c>), then <c>/etc/domus</c>, each also with <c>.cfg</c> added.
/// </summary>
public static class ConfigSearch
{
    public const string SystemConfigDirectory = "/etc/domus";

    public static IReadOnlyList<string> Directories(Func<string, string?> environment)
    {
        return [".", DomusLocations.FromEnvironment(environment).ConfigDirectory, SystemConfigDirectory];
    }

    public static string Find(string name, Func<string, string?> environment)
    {
        if (name.Contains('/'))
        {
            return name;
        }

        var directories = Directories(environment);
        foreach (var directory in directories)
        {
            foreach (var candidate in new[] { name, name + ".cfg" })
            {
                var path = directory == "." ? candidate : Path.Combine(directory, candidate);
                if (File.Exists(path))
                {
                    return path;
                }
            }
        }

        throw new CommandFailedException($"{name}: no such configuration file (looked in {string.Join(", ", directories)})");
    }
}
