using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Domus.Cli.Tests.EndToEnd;

/// <summary>What the end-to-end tests need from the machine: QEMU, and domusd built beside these tests.</summary>
public static class EndToEndEnvironment
{
    public const string Qemu = "/usr/bin/qemu-system-x86_64";

    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>domusd.dll of the same build configuration as this test assembly.</summary>
    public static string Daemon
    {
        get
        {
            var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
            return Path.Combine(RepositoryRoot, "src", "Domus.Daemon", "bin", configuration, "net10.0", "domusd.dll");
        }
    }

    public static string DemoConfig => Path.Combine(RepositoryRoot, "examples", "demo.hvm");

    public static void RequireQemu()
    {
        if (!File.Exists(Qemu))
        {
            Assert.Skip($"{Qemu} is not installed (scripts/test.sh installs qemu-system-x86)");
        }
    }

    /// <summary>A TCP port on loopback that nothing listens on now.</summary>
    /// <summary>An IPv4 address of this host other than loopback, to reach domusd as another host would; skips without one.</summary>
    public static IPAddress NonLoopbackAddress()
    {
        var address = NetworkInterface.GetAllNetworkInterfaces()
            .Where(i => i.OperationalStatus == OperationalStatus.Up && i.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(i => i.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));
        if (address is null)
        {
            Assert.Skip("this host has no non-loopback IPv4 address to reach domusd from");
        }

        return address;
    }

    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Domus.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("the tests do not run inside a Domus checkout");
    }
}
