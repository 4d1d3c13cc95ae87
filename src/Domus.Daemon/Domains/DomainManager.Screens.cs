using Domus.Config.Model;

namespace Domus.Daemon.Domains;

/// <summary>The domain's screen: a screenshot of what it shows now.</summary>
public sealed partial class DomainManager
{
    /// <summary>The guest's screen as a PNG image, taken by the device model into the domain's runtime directory.</summary>
    public async Task<byte[]> ScreenshotAsync(Domain domain, CancellationToken cancellationToken)
    {
        var config = domain.Record.Config;
        if (config.DeviceModel.Kind == DeviceModelKind.Native && !(config.Vnc.Enabled && config.Vga == VgaKind.Stdvga))
        {
            throw DomainOperationException.Conflict($"{domain.Name} runs on domus-dm, which has a graphics card only with vnc = 1 and vga = \"stdvga\"");
        }

        if (config.Vga == VgaKind.None)
        {
            throw DomainOperationException.Conflict($"{domain.Name} has no graphics card (vga = \"none\")");
        }

        return await WithRunningSessionAsync(domain, "take a screenshot", async session =>
        {
            var path = Path.Combine(domain.Paths.RuntimeDirectory, $"screenshot-{Guid.NewGuid():N}.png");
            try
            {
                await session.ScreenshotAsync(path, cancellationToken);
                return await File.ReadAllBytesAsync(path, cancellationToken);
            }
            finally
            {
                File.Delete(path);
            }
        }, cancellationToken);
    }
}
