using Domus.Api;

namespace Domus.Cli.Commands;

/// <summary><c>screenshot NAME|ID FILE.png</c>: saves what the domain's screen shows now.</summary>
public sealed class ScreenshotCommand : DomainCommand
{
    public override string Name => "screenshot";

    public override string Summary => "Save the domain's screen as a PNG image.";

    public override string Usage => "NAME|ID FILE.png";

    protected override int Operands => 2;

    protected override async Task<int> ActAsync(CommandContext context, DomusClient client, ArgumentReader arguments, CancellationToken cancellationToken)
    {
        var image = await client.ScreenshotAsync(arguments.Operands[0], cancellationToken);
        var path = arguments.Operands[1];
        try
        {
            await File.WriteAllBytesAsync(path, image, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CommandFailedException($"cannot write {path}: {e.Message}");
        }

        return 0;
    }
}
