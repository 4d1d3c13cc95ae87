using System.Diagnostics;

namespace Domus.DeviceModels.Tests;

/// <summary>
/// The device models a test started under its own directory, found by their command lines; ending them means that a
/// failed test leaves none running (a session closed by <c>await using</c> leaves its device model alive, as domusd
/// needs it to).
/// </summary>
public static class LeftoverProcesses
{
    public static IReadOnlyList<int> Under(string directory)
    {
        var found = new List<int>();
        foreach (var proc in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(proc), out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }

            try
            {
                if (File.ReadAllText(Path.Combine(proc, "cmdline")).Contains(directory, StringComparison.Ordinal))
                {
                    found.Add(pid);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Gone meanwhile, or not ours to read.
            }
        }

        return found;
    }

    public static void KillUnder(string directory)
    {
        foreach (var pid in Under(directory))
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                process.Kill();
                process.WaitForExit(TimeSpan.FromSeconds(5));
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
                // Gone meanwhile.
            }
        }
    }
}
