using System.Diagnostics;
using System.Globalization;

namespace Domus.Platform;

/// <summary>
/// A process named by its pid and its start time (field 22 of /proc/PID/stat), so that a pid reused by
/// another program after the device model died is not taken for it.
/// </summary>
public readonly record struct ProcessIdentity(int Pid, long StartTime)
{
    public static ProcessIdentity? Of(int pid) => ReadStartTime(pid) is { } start ? new ProcessIdentity(pid, start) : null;

    public bool IsAlive => ReadStartTime(Pid) == StartTime && !IsZombie(Pid);

    /// <summary>
    /// The processes of <paramref name="program"/> (its file name) one of whose arguments is exactly
    /// <paramref name="argument"/>, whoever started them.
    /// </summary>
    public static IReadOnlyList<ProcessIdentity> WithArgument(string program, string argument)
    {
        var found = new List<ProcessIdentity>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                var arguments = File.ReadAllText(Path.Combine(directory, "cmdline")).Split('\0');
                if (Path.GetFileName(arguments[0]) == program && arguments.Contains(argument) && Of(pid) is { } process)
                {
                    found.Add(process);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Gone meanwhile.
            }
        }

        return found;
    }

    /// <summary>Ends the process at once (SIGKILL), unless it has ended already.</summary>
    /// <summary>Kills the process and waits, up to <paramref name="timeout"/>, until it is gone; true when it is.</summary>
    public async Task<bool> KillAndWaitAsync(TimeSpan timeout)
    {
        Kill();
        var deadline = DateTime.UtcNow + timeout;
        while (IsAlive && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        return !IsAlive;
    }

    public void Kill()
    {
        if (!IsAlive)
        {
            return;
        }

        try
        {
            using var process = Process.GetProcessById(Pid);
            process.Kill();
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            // It ended in between.
        }
    }

    private static long? ReadStartTime(int pid)
    {
        var fields = ReadStatFields(pid);
        return fields is { Length: > 19 } && long.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out var start) ? start : null;
    }

    private static bool IsZombie(int pid) => ReadStatFields(pid) is { Length: > 0 } fields && fields[0] == "Z";

    /// <summary>The fields after the command name, which may itself hold spaces and parentheses: state is [0].</summary>
    public static string[]? ReadStatFields(int pid, int? thread = null)
    {
        try
        {
            var path = thread is { } tid ? $"/proc/{pid}/task/{tid}/stat" : $"/proc/{pid}/stat";
            var stat = File.ReadAllText(path);
            var end = stat.LastIndexOf(')');
            return end < 0 ? null : stat[(end + 2)..].Split(' ');
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
