using Domus.Config.Diagnostics;
using Domus.Config.Evaluation;
using Domus.Config.Model;
using Domus.Config.Syntax;

namespace Domus.Config.Tests;

/// <summary>Loads configuration text the way domus create does, on a pinned x86_64 host with a fixed UUID.</summary>
public static class TestConfig
{
    public const string FileName = "test.cfg";
    public const string Directory = "/srv/domains";

    public static readonly Guid FixedUuid = Guid.Parse("06ed00fe-1162-4fc4-b5d8-11993ee4a8b9");

    public static readonly PythonHost X64Host = new("Linux", "host", "6.1.0", "#1 SMP", "x86_64");

    public static LoadOptions Options(PythonHost? host = null) => new() { Host = host ?? X64Host, NewUuid = () => FixedUuid };

    public static LoadResult LoadResult(string text, params string[] overrides) =>
        DomainConfigLoader.Load(new SourceText(FileName, text, Directory), overrides, Options());

    public static DomainConfig Load(string text, params string[] overrides) => LoadResult(text, overrides).Config;

    /// <summary>The errors of an invalid configuration, each as FILE:LINE:COLUMN: message.</summary>
    public static IReadOnlyList<string> Errors(string text, params string[] overrides)
    {
        var e = Assert.Throws<ConfigException>(() => LoadResult(text, overrides));
        Assert.NotEmpty(e.Errors);
        return e.Errors.Select(d => d.ToString()).ToList();
    }

    public static string SingleError(string text, params string[] overrides) => Assert.Single(Errors(text, overrides));

    public static LoadResult LoadFixture(string name, PythonHost? host = null) =>
        DomainConfigLoader.LoadFile(Path.Combine(AppContext.BaseDirectory, "Fixtures", name), [], Options(host));
}
