using Domus.Images;

namespace Domus.Cli.Tests.EndToEnd;

/// <summary>
/// The demo guest's disk, built once per test run with <c>domus image demo</c>'s builder into a cache outside
/// the checkout (DOMUS_TEST_CACHE, default /var/tmp/domus-test-cache), and reused while its packages are current.
/// </summary>
public sealed class DemoImageFixture : IAsyncLifetime
{
    public static string CacheDirectory =>
        Environment.GetEnvironmentVariable("DOMUS_TEST_CACHE") is { Length: > 0 } cache ? cache : "/var/tmp/domus-test-cache";

    public string Image { get; private set; } = string.Empty;

    /// <summary>The demo disk with Debian's generic kernel, whose drivers cover every NIC model (the cloud kernel has virtio's only).</summary>
    public string GenericKernelImage { get; private set; } = string.Empty;

    /// <summary>The image as a disk spec that every test may share: QEMU writes the guest's changes to a throw-away overlay.</summary>
    public string ReadOnlyDisk => $"file:{Image},hda,r";

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(EndToEndEnvironment.Qemu))
        {
            return;
        }

        var builder = new DemoImageBuilder(CacheDirectory, _ => { });
        Image = await builder.BuildAsync(Path.Combine(CacheDirectory, "demo.img"), force: false, CancellationToken.None);
        var generic = new DemoImageBuilder(CacheDirectory, _ => { }, DebianPackages.GenericKernel);
        GenericKernelImage = await generic.BuildAsync(Path.Combine(CacheDirectory, "demo-generic.img"), force: false, CancellationToken.None);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
