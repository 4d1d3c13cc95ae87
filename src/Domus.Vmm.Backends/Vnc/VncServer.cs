using System.Net;
using System.Net.Sockets;
using Domus.Vmm.Backends.Display;
using Domus.Vmm.Backends.Input;

namespace Domus.Vmm.Backends.Vnc;

/// <summary>
/// The domain's built-in VNC server (RFB 3.8, and 3.3/3.7 clients): any number of viewers up to
/// <see cref="VncServerOptions.MaxClients"/>, all shown the same screen from <paramref name="display"/>, all
/// typing into <paramref name="keyboard"/> (keysyms through the options' keymap) and moving
/// <paramref name="pointer"/>. Every viewer runs on its own: one that misbehaves, stalls or leaves ends only
/// its own connection. <see cref="Start"/> listens; disposing closes the listener and every connection.
/// </summary>
public sealed class VncServer(IDisplaySource display, IKeyboardInput keyboard, IPointerInput pointer, VncServerOptions options)
    : IAsyncDisposable
{
    private readonly VncAuthentication? _authentication = string.IsNullOrEmpty(options.Password) ? null : new VncAuthentication(options.Password);
    private readonly ScreenCapture _screen = new(display, TimeProvider.System, options.UpdateInterval);
    private readonly TcpListener _listener = new(options.Endpoint);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _lock = new();
    private readonly HashSet<Task> _connections = [];
    private Task? _acceptLoop;

    /// <summary>Where it listens (with the port the system chose when the options asked for port 0).</summary>
    public IPEndPoint LocalEndpoint => (IPEndPoint)_listener.LocalEndpoint;

    public int ClientCount
    {
        get
        {
            lock (_lock)
            {
                return _connections.Count;
            }
        }
    }

    /// <summary>Binds and starts accepting; a port in use is a <see cref="SocketException"/> here.</summary>
    public void Start()
    {
        _listener.Start();
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        Task[] running;
        lock (_lock)
        {
            running = [.. _connections];
        }

        await Task.WhenAll(running.Append(_acceptLoop ?? Task.CompletedTask));
        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stopping.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            socket.NoDelay = true;
            lock (_lock)
            {
                if (_connections.Count >= options.MaxClients)
                {
                    options.Log?.Invoke($"VNC client {socket.RemoteEndPoint} refused: {options.MaxClients} viewers already");
                    socket.Dispose();
                    continue;
                }

                var connection = ServeAsync(socket);
                _connections.Add(connection);
                _ = connection.ContinueWith(Forget, TaskScheduler.Default);
            }
        }
    }

    private void Forget(Task connection)
    {
        lock (_lock)
        {
            _connections.Remove(connection);
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        await Task.Yield();
        var peer = socket.RemoteEndPoint;
        using var connection = new VncConnection(socket, _screen, keyboard, pointer, options, _authentication);
        try
        {
            await connection.RunAsync(_stopping.Token);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            // Whatever went wrong with this viewer (its protocol, its socket, even a bug) ends this viewer only.
            options.Log?.Invoke($"VNC client {peer} disconnected: {e.Message}");
        }
    }
}
