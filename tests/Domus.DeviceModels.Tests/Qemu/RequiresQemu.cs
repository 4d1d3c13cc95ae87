namespace Domus.DeviceModels.Tests.Qemu;

/// <summary>Tests that run the real QEMU skip, saying so, where it is not installed.</summary>
public static class RequiresQemu
{
    public const string Program = "/usr/bin/qemu-system-x86_64";

    public static void Check()
    {
        if (!File.Exists(Program))
        {
            Assert.Skip($"{Program} is not installed (scripts/test.sh installs qemu-system-x86)");
        }
    }
}
