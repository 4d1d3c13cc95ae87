using System.Globalization;

namespace Domus.Api;

/// <summary>
/// Where a Domus instance keeps its state (database, logs, images), its runtime files (sockets) and the domain
/// configurations it manages. The system instance uses /var/lib/domus, /run/domus and /etc/domus/vm;
/// <c>DOMUS_HOME</c> puts all three under one directory, for an unprivileged or test instance.
/// </summary>
public sealed record DomusLocations(string StateDirectory, string RuntimeDirectory, string ConfigDirectory)
{
    public const string HomeVariable = "DOMUS_HOME";

    public static DomusLocations SystemWide { get; } = new("/var/lib/domus", "/run/domus", "/etc/domus/vm");

    public string DaemonSocket => Path.Combine(RuntimeDirectory, "domusd.sock");

    public string Database => Path.Combine(StateDirectory, "domus.db");

    public string DaemonLog => Path.Combine(StateDirectory, "domusd.log");

    public string ApiTokenFile => Path.Combine(StateDirectory, "api-token");

    public string ImageDirectory => Path.Combine(StateDirectory, "images");

    public string CacheDirectory => Path.Combine(StateDirectory, "cache");

    public string DomainStateDirectory(int id) => Path.Combine(StateDirectory, "domains", id.ToString(CultureInfo.InvariantCulture));

    public string DomainRuntimeDirectory(int id) => Path.Combine(RuntimeDirectory, "domains", id.ToString(CultureInfo.InvariantCulture));

    public static DomusLocations FromEnvironment(Func<string, string?> environment)
    {
        var home = environment(HomeVariable);
        return string.IsNullOrEmpty(home) ? SystemWide : Under(home);
    }

    public static DomusLocations Under(string home)
    {
        var full = Path.GetFullPath(home);
        return new DomusLocations(full, Path.Combine(full, "run"), Path.Combine(full, "vm"));
    }
}
