using Domus.Daemon.Domains;
using Domus.Platform;

namespace Domus.Daemon.Networks;

/// <summary>iproute2's <c>ip</c>, run with an argv; a failure is an operation error carrying what ip said.</summary>
public static class IpCommand
{
    public static async Task RunAsync(CancellationToken cancellationToken, params string[] arguments)
    {
        var (exitCode, output) = await HostCommand.RunAsync("ip", arguments, cancellationToken);
        if (exitCode != 0)
        {
            throw new DomainOperationException($"ip {string.Join(' ', arguments)}: {output}");
        }
    }
}
