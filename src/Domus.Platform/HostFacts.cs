using Domus.Platform;
using System.Globalization;

namespace Domus.Platform;

/// <summary>What domusd reads about the host from /proc and /sys.</summary>
public static class HostFacts
{
    /// <summary>/proc reports times in USER_HZ, which is 100 on every Linux architecture Domus runs on.</summary>
    public const double ClockTicksPerSecond = 100;

    public static int Cpus => Environment.ProcessorCount;

    public static string Hostname => Environment.MachineName;

    public static string Kernel => ReadTrimmed("/proc/sys/kernel/osrelease");

    public static string BootId => ReadTrimmed("/proc/sys/kernel/random/boot_id");

    /// <summary>
    /// Whether KVM here runs on the processor's virtualization extensions (kvm_intel or kvm_amd) rather than on a
    /// software emulation such as kvm_pvm, which runs guests far slower and stops at some instructions and events.
    /// </summary>
    public static bool HardwareKvm => Directory.Exists("/sys/module/kvm_intel") || Directory.Exists("/sys/module/kvm_amd");

    public static (long TotalMib, long AvailableMib) Memory()
    {
        long total = 0;
        long available = 0;
        foreach (var line in File.ReadLines("/proc/meminfo"))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 2 || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var kib))
            {
                continue;
            }

            switch (parts[0])
            {
                case "MemTotal:":
                    total = kib / 1024;
                    break;
                case "MemAvailable:":
                    available = kib / 1024;
                    break;
            }
        }

        return (total, available);
    }

    /// <summary>CPU time the host has spent outside idle, in seconds: Domain-0's Time(s).</summary>
    public static double BusyCpuSeconds()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        long Field(int i) => fields.Length > i && long.TryParse(fields[i], NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0;

        // cpu user nice system idle iowait irq softirq steal
        return (Field(1) + Field(2) + Field(3) + Field(6) + Field(7) + Field(8)) / ClockTicksPerSecond;
    }

    public static double UptimeSeconds() =>
        double.Parse(ReadTrimmed("/proc/uptime").Split(' ')[0], CultureInfo.InvariantCulture);

    public static bool BridgeExists(string name) => Directory.Exists($"/sys/class/net/{name}/bridge");

    /// <summary>A process's resident memory in MiB (from /proc/PID/statm), or null when it is gone.</summary>
    public static double? ResidentMib(int pid)
    {
        var fields = ReadTrimmed($"/proc/{pid}/statm").Split(' ');
        return fields.Length > 1 && long.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var pages)
            ? pages * (double)Environment.SystemPageSize / (1 << 20)
            : null;
    }

    /// <summary>CPU seconds of the given threads of a process, and whether any of them is running on a CPU now.</summary>
    public static (double Seconds, bool OnCpu) ThreadTimes(int pid, IEnumerable<int> threads)
    {
        double ticks = 0;
        var onCpu = false;
        foreach (var thread in threads)
        {
            if (ProcessIdentity.ReadStatFields(pid, thread) is { Length: > 12 } fields)
            {
                onCpu |= fields[0] == "R";
                ticks += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            }
        }

        return (ticks / ClockTicksPerSecond, onCpu);
    }

    private static string ReadTrimmed(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (IOException)
        {
            return string.Empty;
        }
    }
}
