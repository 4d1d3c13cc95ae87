using System.Net;
using System.Net.Sockets;
using Domus.Config.Model;
using Domus.Vmm.Backends.Display;
using Domus.Vmm.Backends.Input;
using Domus.Vmm.Backends.Vnc;

namespace Domus.Vmm.Host;

/// <summary>
/// Starts the domain's VNC server on <see cref="HostOptions.Vnc"/>, or the first free port up to
/// <see cref="HostOptions.VncLastPort"/> (vncunused, as QEMU's <c>to=</c>), showing and typing into
/// <paramref name="host"/>'s current machine (domus-dm's <see cref="DeviceModelHost"/>; the VNC benchmark's VGA without
/// a vCPU) with the configuration's keymap and the password from its file.
/// </summary>
public static class VncStartup
{
    /// <exception cref="SocketException">No port could be bound.</exception>
    /// <exception cref="IOException">The password file cannot be read.</exception>
    /// <exception cref="KeyNotFoundException">domus-dm has no such keymap.</exception>
    public static async Task<VncServer> StartAsync<THost>(HostOptions options, DomainConfig config, THost host, Action<string> log)
        where THost : IDisplaySource, IKeyboardInput, IPointerInput
    {
        var first = options.Vnc ?? throw new ArgumentException("no --vnc given", nameof(options));
        var password = options.VncPasswordFile is { } file ? (await File.ReadAllTextAsync(file)).TrimEnd('\n') : null;
        var keymap = Keymap.ForLayout(config.Vnc.Keymap);
        for (var port = first.Port; ; port++)
        {
            var server = new VncServer(host, host, host, new VncServerOptions
            {
                Endpoint = new IPEndPoint(first.Address, port),
                Password = password,
                DesktopName = config.Name,
                Keymap = keymap,
                Log = log,
            });
            try
            {
                server.Start();
                return server;
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse && port < (options.VncLastPort ?? first.Port))
            {
                await server.DisposeAsync();
            }
        }
    }
}
