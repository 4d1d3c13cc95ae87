using System.Runtime.InteropServices;

namespace Domus.Config.Evaluation;

/// <summary>What <c>os.uname()</c> answers in a configuration's Python preamble.</summary>
public sealed record PythonHost(string SystemName, string NodeName, string Release, string Version, string Machine)
{
    public static PythonHost Current { get; } = new(
        "Linux",
        Environment.MachineName,
        ReadKernelValue("osrelease"),
        ReadKernelValue("version"),
        RuntimeInformation.OSArchitecture switch
        {
            Architecture.X64 => "x86_64",
            Architecture.X86 => "i686",
            Architecture.Arm64 => "aarch64",
            var other => other.ToString().ToLowerInvariant(),
        });

    private static string ReadKernelValue(string name)
    {
        try
        {
            return File.ReadAllText($"/proc/sys/kernel/{name}").Trim();
        }
        catch (IOException)
        {
            return string.Empty;
        }
        catch (UnauthorizedAccessException)
        {
            return string.Empty;
        }
    }
}
