using Domus.Platform;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Domus.Config.Model;
using Domus.Config.Normalization;
using Domus.Daemon.Host;
using Domus.DeviceModels;
using Domus.Vmm.Backends.Disks;

namespace Domus.Daemon.Domains;

/// <summary>
/// Checks a domain against this host before anything is started: images that exist and open, memory the
/// host has, bridges that exist, a device model that is installed. Every problem is reported at once.
/// </summary>
public sealed class HostValidator(IReadOnlyDictionary<DeviceModelKind, IDeviceModel> deviceModels)
{
    public IReadOnlyList<string> Problems(DomainConfig config)
    {
        var problems = new List<string>();
        var (totalMib, _) = HostFacts.Memory();
        if (config.MemoryMib > totalMib)
        {
            problems.Add($"memory = {config.MemoryMib} MiB is more than this host has ({totalMib} MiB)");
        }

        var images = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var disk in config.Disks.Where(d => d.Target is not null))
        {
            if (ImageProblem(disk) is { } problem)
            {
                problems.Add($"disk {disk.Vdev}: {problem}");
            }
            else if (!images.TryAdd(RealPath(disk.Target!), disk.Vdev))
            {
                problems.Add($"disk {disk.Vdev}: {disk.Target} is already {images[RealPath(disk.Target!)]}'s image; one image serves one drive");
            }
        }

        foreach (var (key, path) in new[] { ("kernel", config.Kernel), ("ramdisk", config.Ramdisk) })
        {
            if (path is not null && !File.Exists(path))
            {
                problems.Add($"{key}: {path} does not exist");
            }
        }

        for (var i = 0; i < config.Vifs.Count; i++)
        {
            if (!HostFacts.BridgeExists(config.Vifs[i].Bridge))
            {
                problems.Add($"vif {i}: bridge '{config.Vifs[i].Bridge}' does not exist on this host (create it, e.g. 'ip link add {config.Vifs[i].Bridge} type bridge', or name another)");
            }
        }

        if (config.Vnc is { Enabled: true, Display: { } display } && PortProblem(config.Vnc.Listen, VncListen.BasePort + display) is { } portProblem)
        {
            problems.Add($"vncdisplay = {display}: port {VncListen.BasePort + display} on {config.Vnc.Listen} {portProblem}");
        }

        if (config.Serial.Contains("stdio"))
        {
            problems.Add("serial 'stdio': the device model runs in the background and has no terminal; use 'pty' and domus console");
        }

        if (config.Sdl && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DISPLAY")))
        {
            problems.Add("sdl = 1 needs an X display, and domusd has none (DISPLAY is not set); use vnc");
        }

        problems.AddRange(DeviceModelProblems(config));
        return problems;
    }

    private IEnumerable<string> DeviceModelProblems(DomainConfig config) =>
        deviceModels.TryGetValue(config.DeviceModel.Kind, out var model)
            ? model.Problems(config)
            : [$"the {config.DeviceModel.Kind.ToString().ToLowerInvariant()} device model is not available in this build"];

    /// <summary>Why the VNC server could not listen on the address and port, or null when it can.</summary>
    private static string? PortProblem(string address, int port)
    {
        if (!IPAddress.TryParse(address, out var ip))
        {
            return null;
        }

        using var listener = new TcpListener(ip, port);
        try
        {
            listener.Start();
            return null;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            return "is already in use (choose another display, or leave vncdisplay out with vncunused = 1)";
        }
        catch (SocketException e)
        {
            return $"cannot be listened on: {e.Message} (vnclisten must be an address of this host)";
        }
    }

    private static string RealPath(string path) => new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path;

    private static string? ImageProblem(DiskConfig disk)
    {
        var path = disk.Target!;
        if (Directory.Exists(path))
        {
            return $"{path} is a directory, not an image";
        }

        if (!File.Exists(path))
        {
            return $"{path} does not exist";
        }

        try
        {
            var access = disk.Access == DiskAccess.ReadWrite ? FileAccess.ReadWrite : FileAccess.Read;
            using var image = new FileStream(path, FileMode.Open, access, FileShare.ReadWrite);
            if (disk.Format == DiskFormat.Qcow2)
            {
                Span<byte> magic = stackalloc byte[4];
                if (image.ReadAtLeast(magic, 4, throwOnEndOfStream: false) < 4 || !Qcow2Header.StartsWithMagic(magic))
                {
                    return $"{path} is not a qcow2 image (format = qcow2)";
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"cannot open {path} {(disk.Access == DiskAccess.ReadWrite ? "for writing" : "for reading")}: {e.Message}";
        }

        return null;
    }

    /// <summary>The problems as one line, for the API's answer.</summary>
    public static string Join(IReadOnlyList<string> problems) =>
        new StringBuilder().AppendJoin("; ", problems).ToString();
}
