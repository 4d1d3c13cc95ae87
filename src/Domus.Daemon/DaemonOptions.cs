using System.Net;

namespace Domus.Daemon;

/// <summary>
/// domusd's command line: <c>--background</c> (log to the state directory instead of the terminal; how
/// domus starts it on demand), <c>--listen ADDRESS:PORT</c> (also serve the API on TCP, with a token
/// for other hosts) and <c>--image-dir DIR</c> (a directory besides the image directory that the web manager's domains
/// may take images and CD-ROMs from, such as an ISO library).
/// </summary>
public sealed record DaemonOptions(bool Background, IReadOnlyList<IPEndPoint> Listen, IReadOnlyList<string> ImageDirectories)
{
    public const string Usage = "usage: domusd [--background] [--listen ADDRESS:PORT ...] [--image-dir /DIR ...]";

    public static DaemonOptions Parse(IReadOnlyList<string> arguments)
    {
        var background = false;
        var listen = new List<IPEndPoint>();
        var imageDirectories = new List<string>();
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
                case "--image-dir" when i + 1 < arguments.Count && Path.IsPathFullyQualified(arguments[i + 1]):
                    imageDirectories.Add(Path.TrimEndingDirectorySeparator(Path.GetFullPath(arguments[i + 1])));
                    i++;
                    break;
                default:
                    throw new ArgumentException($"domusd: cannot use '{arguments[i]}'\n{Usage}");
            }
        }

        return new DaemonOptions(background, listen, imageDirectories);
    }
}
