using System.Text.Json;
using Domus.Api;
using Domus.Config;
using Domus.Config.Diagnostics;
using Domus.Config.Json;

namespace Domus.Cli.Commands;

/// <summary>
/// <c>create [-c] [-p] [-n] [-q] [-f] FILE [KEY=VALUE ...]</c>. With <c>-n</c> (dry run) nothing starts:
/// the normalized domain is printed as JSON on stdout.
/// </summary>
public sealed class CreateCommand : ICommand
{
    private static readonly Dictionary<string, string> Flags = new()
    {
        ["-n"] = "dry-run", ["--dryrun"] = "dry-run", ["--dry-run"] = "dry-run",
        ["-c"] = "console", ["--console"] = "console",
        ["-p"] = "paused", ["--paused"] = "paused",
        ["-q"] = "quiet", ["--quiet"] = "quiet",
    };

    private static readonly Dictionary<string, string> ValueFlags = new() { ["-f"] = "file", ["--defconfig"] = "file" };

    public string Name => "create";

    public string Usage => "[-c] [-p] [-n] [-q] [-f] FILE [KEY=VALUE ...]";

    public string Summary => "Create a domain from a configuration file (-n: check it and print it as JSON).";

    public async Task<int> RunAsync(CommandContext context, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var reader = new ArgumentReader(arguments, Flags, ValueFlags);
        var operands = reader.Operands.ToList();
        var file = reader.Value("file");
        if (file is null)
        {
            if (operands.Count == 0)
            {
                throw new UsageException("create needs a configuration file");
            }

            file = operands[0];
            operands.RemoveAt(0);
        }

        var path = ConfigSearch.Find(file, context.GetEnvironment);
        if (!reader.Has("quiet"))
        {
            context.Error.WriteLine($"Parsing config from {path}");
        }

        LoadResult result;
        try
        {
            result = DomainConfigLoader.LoadFile(path, operands);
        }
        catch (ConfigException e)
        {
            foreach (var error in e.Errors)
            {
                context.Error.WriteLine(error);
            }

            return 1;
        }

        foreach (var warning in result.Warnings)
        {
            context.Error.WriteLine(warning);
        }

        if (reader.Has("dry-run"))
        {
            context.Out.WriteLine(JsonSerializer.Serialize(result.Config, DomainConfigJsonContext.Default.DomainConfig));
            return 0;
        }

        var config = result.Config;
        var console = reader.Has("console");
        var paused = reader.Has("paused");
        var client = DaemonConnection.ClientFor(context);
        var request = new CreateDomainRequest(config with { Vnc = config.Vnc with { Password = null } }, Path.GetFullPath(path), Paused: console || paused, config.Vnc.Password);
        var domain = await client.CreateAsync(request, cancellationToken);
        context.Out.WriteLine($"Started domain {domain.Name} (id={domain.Id})");
        if (console)
        {
            // Attached before the first instruction runs, so that nothing the guest prints is missed.
            await ConsoleCommand.AttachAsync(context, client, domain.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), quiet: false,
                paused ? null : () => client.ActAsync(domain.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "unpause", cancellationToken: cancellationToken),
                cancellationToken);
        }

        return 0;
    }
}
