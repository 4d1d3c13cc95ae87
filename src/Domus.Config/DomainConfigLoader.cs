using System.Text;
using Domus.Config.Diagnostics;
using Domus.Config.Evaluation;
using Domus.Config.Normalization;
using Domus.Config.Syntax;

namespace Domus.Config;

/// <summary>
/// Reads an xm/xl domain configuration: lexes and parses the file, runs it, applies command-line overrides,
/// and normalizes the result into a <see cref="Model.DomainConfig"/>. Every problem is reported at once in a
/// <see cref="ConfigException"/>, the only exception that leaves this class for bad input.
/// </summary>
public static class DomainConfigLoader
{
    /// <summary>Configuration files are small; a larger file is not one.</summary>
    public const int MaxFileBytes = 1024 * 1024;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static LoadResult LoadFile(string path, IReadOnlyList<string> overrides, LoadOptions? options = null)
    {
        string text;
        try
        {
            var info = new FileInfo(path);
            if (info.Exists && info.Length > MaxFileBytes)
            {
                throw new ConfigException(SourceLocation.Whole(path), $"the file is {info.Length} bytes; a domain configuration is at most {MaxFileBytes}");
            }

            text = StrictUtf8.GetString(File.ReadAllBytes(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException(SourceLocation.Whole(path), $"cannot read the configuration: {e.Message}");
        }
        catch (DecoderFallbackException)
        {
            throw new ConfigException(SourceLocation.Whole(path), "the file is not UTF-8 text");
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(path)) ?? Environment.CurrentDirectory;
        return Load(new SourceText(path, text, directory), overrides, options);
    }

    public static LoadResult Load(SourceText file, IReadOnlyList<string> overrides, LoadOptions? options = null)
    {
        options ??= LoadOptions.Default;
        var diagnostics = new DiagnosticBag();
        var statements = Parser.Parse(file, diagnostics);
        var parsedOverrides = overrides.Select(o => OverrideParser.Parse(o, diagnostics)).ToList();

        var evaluator = new Evaluator(options.Host, diagnostics);
        // xm let the script read command-line values before running it; xl applies them after the file.
        // Doing both gives the script its inputs and leaves the command line the last word.
        evaluator.Execute(parsedOverrides.SelectMany(o => o.Statements).Where(s => !s.Append));
        evaluator.Execute(statements);
        evaluator.Execute(parsedOverrides.SelectMany(o => o.Statements));

        var sources = parsedOverrides.Select(o => o.Source).Prepend(file).ToList();
        var config = DomainConfigBuilder.Build(evaluator.Result(), file, sources, diagnostics, options.NewUuid);
        if (diagnostics.HasErrors)
        {
            throw new ConfigException(diagnostics.SortedErrors());
        }

        return new LoadResult(config, diagnostics.Warnings.ToList());
    }
}
