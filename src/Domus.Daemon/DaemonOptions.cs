using System.Net;

namespace Domus.Daemon;

/// <summary>
/// domusd's command line: <c>--background</c> (log to the state directory instead of the terminal; how
/// domus starts it on demand) and <c>--listen ADDRESS:PORT</c> (also serve the API on TCP, with a token
/// for other hosts).
/// </summary>
public sealed record DaemonOptions(bool Background, IReadOnlyList<IPEndPoint> Listen)
{
    public const string Usage = "usage: domusd [--background] [--listen ADDRESS:PORT ...]";

    public static DaemonOptions Parse(IReadOnlyList<string> arguments)
    {
        var background = false;
        var listen = new List<IPEndPoint>();
        for (var i = 0; i < arguments.Count; i++)
        {
            switch (arguments[i])
            {
                case "--background":
                    background = true;
                    break;
                case "--foreground":
                    background = false;
                    break;
                case "--listen" when i + 1 < arguments.Count && IPEndPoint.TryParse(arguments[i + 1], out var endpoint) && endpoint.Port != 0:
                    listen.Add(endpoint);
                    i++;
                    break;
                default:
                    throw new ArgumentException($"domusd: cannot use '{arguments[i]}'\n{Usage}");
            }
        }

        return new DaemonOptions(background, listen);
    }
}
