using System.Globalization;
using System.Text;

namespace Domus.Cli.Commands;

/// <summary><c>info</c>: the host, as xl info shows it, with the accelerator Domus chose and why.</summary>
public sealed class InfoCommand : ICommand
{
    public string Name => "info";

    public string Usage => string.Empty;

    public string Summary => "Show the host: CPUs, memory, accelerator, device model versions.";

    public async Task<int> RunAsync(CommandContext context, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        if (arguments.Count > 0)
        {
            throw new UsageException("info takes no arguments");
        }

        var client = DaemonConnection.ClientFor(context);
        var host = await client.HostAsync(cancellationToken);
        var output = new StringBuilder();
        void Line(string key, object? value) => output.Append(string.Create(CultureInfo.InvariantCulture, $"{key,-23}: {value}\n"));
        Line("host", host.Hostname);
        Line("release", host.Kernel);
        Line("nr_cpus", host.Cpus);
        Line("total_memory", host.MemoryMib);
        Line("free_memory", host.FreeMemoryMib);
        Line("accelerator", $"{host.Accelerator} ({host.AcceleratorReason})");
        Line("qemu_version", host.QemuVersion ?? "not installed");
        Line("domus_version", host.DomusVersion);
        Line("nr_domains", host.Domains);
        context.Out.Write(output.ToString());
        return 0;
    }
}
