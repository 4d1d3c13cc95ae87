using Domus.DeviceModels.Qemu;

namespace Domus.DeviceModels.Tests.Qemu;

public sealed class AcceleratorProbeTests
{
    [Fact]
    public void KvmWhenItRunsTheCalibrationGuestNoSlowerThanTcg()
    {
        var choice = AcceleratorProbe.Choose(TimeSpan.FromMilliseconds(40), "host", TimeSpan.FromMilliseconds(300));
        Assert.Equal(("kvm", "host"), (choice.Name, choice.CpuModel));
        Assert.Equal("KVM works: the calibration guest took 40 ms under KVM and 300 ms under TCG", choice.Reason);
    }

    [Fact]
    public void TcgWhenKvmIsSlowerThanEmulation()
    {
        var choice = AcceleratorProbe.Choose(TimeSpan.FromMilliseconds(4000), "host,-arch-capabilities", TimeSpan.FromMilliseconds(300));
        Assert.Equal(("tcg", "max"), (choice.Name, choice.CpuModel));
        Assert.StartsWith("KVM is slower than emulation here", choice.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoKvmDeviceMeansTcgAndSaysWhy()
    {
        var choice = await new AcceleratorProbe(kvmDevice: "/nonexistent/kvm").ProbeAsync(TestContext.Current.CancellationToken);
        Assert.Equal("tcg", choice.Name);
        Assert.Equal("/nonexistent/kvm does not exist", choice.Reason);
    }

    [Fact]
    public async Task OnThisHostTheProbeDecidesAndExplains()
    {
        if (!File.Exists("/usr/bin/qemu-system-x86_64"))
        {
            Assert.Skip("QEMU is not installed (scripts/test.sh installs qemu-system-x86)");
        }

        var choice = await new AcceleratorProbe().ProbeAsync(TestContext.Current.CancellationToken);
        Assert.True(choice.Name is "kvm" or "tcg", choice.Name);
        Assert.NotEmpty(choice.Reason);
        if (!File.Exists("/dev/kvm"))
        {
            Assert.Equal(("tcg", "/dev/kvm does not exist"), (choice.Name, choice.Reason));
        }
        else
        {
            Assert.Contains("calibration", choice.Reason, StringComparison.Ordinal);
        }
    }
}
