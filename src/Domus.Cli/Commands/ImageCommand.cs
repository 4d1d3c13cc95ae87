using Domus.Images;

namespace Domus.Cli.Commands;

/// <summary>
/// <c>image demo [-f] [-o FILE] [--kernel cloud|generic]</c>: builds the demo disk from Debian packages, into the
/// image directory; the generic kernel has the drivers of every emulated network card, the cloud kernel virtio's only.
/// </summary>
public sealed class ImageCommand : ICommand
{
    private static readonly Dictionary<string, string> Flags = new() { ["-f"] = "force", ["--force"] = "force" };
    private static readonly Dictionary<string, string> ValueFlags = new() { ["-o"] = "output", ["--output"] = "output", ["--kernel"] = "kernel" };

    private static readonly Dictionary<string, string> Kernels = new() { ["cloud"] = DebianPackages.CloudKernel, ["generic"] = DebianPackages.GenericKernel };

    public string Name => "image";

    public string Usage => "demo [-f] [-o FILE] [--kernel cloud|generic]";

    public string Summary => "Build the demo guest's disk from Debian packages (kernel, busybox, syslinux).";

    public async Task<int> RunAsync(CommandContext context, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var reader = new ArgumentReader(arguments, Flags, ValueFlags);
        if (reader.Operands is not ["demo"])
        {
            throw new UsageException("the image to build is 'demo'");
        }

        var kernel = reader.Value("kernel") ?? "cloud";
        if (!Kernels.TryGetValue(kernel, out var kernelPackage))
        {
            throw new UsageException($"--kernel is 'cloud' or 'generic', not '{kernel}'");
        }

        var locations = context.Locations;
        var output = reader.Value("output") ?? Path.Combine(locations.ImageDirectory, "demo.img");
        var builder = new DemoImageBuilder(locations.CacheDirectory, message => context.Error.WriteLine($"domus image: {message}"), kernelPackage);
        try
        {
            context.Out.WriteLine(await builder.BuildAsync(output, reader.Has("force"), cancellationToken));
            return 0;
        }
        catch (ImageBuildException e)
        {
            throw new CommandFailedException(e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CommandFailedException($"cannot write {output}: {e.Message}");
        }
    }
}
