namespace Domus.DeviceModels;

/// <summary>
/// Where one domain's device model keeps its files: sockets and pid file in the runtime directory (gone at
/// reboot), logs in the state directory (kept).
/// </summary>
public sealed record DomainPaths(string RuntimeDirectory, string StateDirectory)
{
    public string ControlSocket => Path.Combine(RuntimeDirectory, "control.sock");

    public string ConsoleSocket => Path.Combine(RuntimeDirectory, "console.sock");

    public string PidFile => Path.Combine(RuntimeDirectory, "dm.pid");

    public string ConsoleLog => Path.Combine(StateDirectory, "console.log");

    public string DeviceModelLog => Path.Combine(StateDirectory, "device-model.log");

    public void Create()
    {
        Directory.CreateDirectory(RuntimeDirectory);
        Directory.CreateDirectory(StateDirectory);
    }

    public void Delete()
    {
        foreach (var directory in new[] { RuntimeDirectory, StateDirectory })
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }
}
