using Domus.Platform;

namespace Domus.Images;

/// <summary>Runs the host tools images are built with; a failure is an <see cref="ImageBuildException"/> with the tool's output.</summary>
internal static class ImageTool
{
    public static async Task<string> RunAsync(string program, IReadOnlyList<string> arguments, string? workingDirectory, CancellationToken cancellationToken)
    {
        var (exitCode, output) = await HostCommand.RunAsync(program, arguments, cancellationToken, workingDirectory);
        return exitCode == 0 ? output : throw new ImageBuildException($"{program} {string.Join(' ', arguments)} failed: {output}");
    }
}
