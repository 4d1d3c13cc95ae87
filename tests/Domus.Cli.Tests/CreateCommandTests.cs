using System.Text.Json;

namespace Domus.Cli.Tests;

public sealed class CreateCommandTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("domus-cli-");

    public void Dispose() => _directory.Delete(recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_directory.FullName, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void DryRunPrintsTheNormalizedDomainAsJsonOnStdoutAlone()
    {
        var path = Write("web.cfg", "name = 'web'\nmemory = 256\ndisk = ['file:web.img,hda,w']\n");
        var run = CliRun.Of("create", "-n", path, "vcpus=2");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal($"Parsing config from {path}\n", run.Error);
        using var json = JsonDocument.Parse(run.Out);
        Assert.Equal("web", json.RootElement.GetProperty("name").GetString());
        Assert.Equal(256, json.RootElement.GetProperty("memory_mib").GetInt32());
        Assert.Equal(2, json.RootElement.GetProperty("vcpus").GetInt32());
        Assert.Equal(Path.Combine(_directory.FullName, "web.img"), json.RootElement.GetProperty("disks")[0].GetProperty("target").GetString());
    }

    [Fact]
    public void DryRunOfTheRepositoryExampleWorksAsTheReadmeShows()
    {
        var example = Path.Combine(RepositoryRoot(), "examples", "winxp.hvm");
        var run = CliRun.Of("create", "-n", example);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("\"name\": \"WinXPHVM\"", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void AnInvalidFilePrintsEveryErrorAndExitsWithOne()
    {
        var path = Write("bad.cfg", "memory = 'x'\nvcpus = 0\n");
        var run = CliRun.Of("create", "-n", path);
        Assert.Equal(1, run.ExitCode);
        Assert.Equal("", run.Out);
        Assert.Equal(
            $"Parsing config from {path}\n{path}:1:10: memory: expected a number, got a string 'x'\n{path}:2:9: vcpus: 0 is out of range (1 to 255)\n",
            run.Error);
    }

    [Fact]
    public void WarningsGoToStderr()
    {
        var path = Write("w.cfg", "shadow_memory = 8\n");
        var run = CliRun.Of("create", "-nq", path);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal($"{path}: warning: accepted but not acted on: shadow_memory (line 1)\n", run.Error);
    }

    [Fact]
    public void BareNamesAreSearchedInTheManagedDirectoryWithOrWithoutCfg()
    {
        Write("vm/found.cfg", "memory = 64\n");
        var environment = new Dictionary<string, string> { ["DOMUS_HOME"] = _directory.FullName };
        var run = CliRun.Of(environment, "create", "-n", "found");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("\"name\": \"found\"", run.Out, StringComparison.Ordinal);
        Assert.Equal(0, CliRun.Of(environment, "create", "-n", "-f", "found.cfg").ExitCode);
    }

    [Fact]
    public void AMissingFileSaysWhereItLooked()
    {
        var environment = new Dictionary<string, string> { ["DOMUS_HOME"] = _directory.FullName };
        var run = CliRun.Of(environment, "create", "-n", "nosuchdomain");
        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"domus create: nosuchdomain: no such configuration file (looked in ., {_directory.FullName}/vm, /etc/domus)\n", run.Error);
    }

    [Theory]
    [InlineData(new[] { "create" }, "domus create: create needs a configuration file")]
    [InlineData(new[] { "create", "-x", "f" }, "domus create: unknown option '-x'")]
    [InlineData(new[] { "create", "-f" }, "domus create: option '-f' needs a value")]
    public void UsageErrorsExitWithTwo(string[] arguments, string message)
    {
        var run = CliRun.Of(arguments);
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith(message + "\nusage: domus create ", run.Error, StringComparison.Ordinal);
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(directory!.FullName, "Domus.slnx")))
        {
            directory = directory.Parent;
        }

        return directory.FullName;
    }
}
