using Domus.Config;
using Domus.Config.Syntax;
using Domus.DeviceModels;

namespace Domus.Bench.Vnc;

/// <summary>A device model, QEMU or domus-dm, started as domusd starts it from a configuration's text, with its own VNC server.</summary>
public sealed class DeviceModelScreen : IScreenUnderTest
{
    private readonly IDeviceModelSession _session;

    private DeviceModelScreen(string name, IDeviceModelSession session, int vncPort)
    {
        Name = name;
        _session = session;
        VncPort = vncPort;
    }

    public string Name { get; }

    public int VncPort { get; }

    /// <summary>Starts the device model paused, in <paramref name="directory"/> (its sockets, logs and pid file).</summary>
    public static async Task<DeviceModelScreen> StartAsync(string name, IDeviceModel model, string configText, AcceleratorChoice accelerator, string directory, int domainId)
    {
        var config = DomainConfigLoader.Load(new SourceText($"{name}.cfg", configText, directory), [], new LoadOptions()).Config;
        if (model.Problems(config).ToList() is { Count: > 0 } problems)
        {
            throw new InvalidOperationException($"{name}: {string.Join("; ", problems)}");
        }

        var paths = new DomainPaths(Path.Combine(directory, "run"), Path.Combine(directory, "state"));
        paths.Create();
        var launch = new DeviceModelLaunch { Config = config, DomainId = domainId, Paths = paths, Accelerator = accelerator, Taps = [], Now = DateTimeOffset.UtcNow };
        var session = await model.StartAsync(launch, CancellationToken.None);
        var port = await session.QueryVncPortAsync(CancellationToken.None);
        if (port is null)
        {
            await session.KillAsync(TimeSpan.FromSeconds(5), CancellationToken.None);
            throw new InvalidOperationException($"{name} serves no VNC screen");
        }

        return new DeviceModelScreen(name, session, port.Value);
    }

    public Task ResumeAsync() => _session.ResumeAsync(CancellationToken.None);

    public Task PauseAsync() => _session.PauseAsync(CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        await _session.KillAsync(TimeSpan.FromSeconds(5), CancellationToken.None);
        await _session.DisposeAsync();
    }
}
