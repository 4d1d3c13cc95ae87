using System.Text;
using Domus.Platform;

namespace Domus.Images.Tests;

/// <summary>The initramfs writer, checked by GNU cpio, the tool the format comes from.</summary>
public sealed class CpioArchiveWriterTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("domus-cpio-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public async Task CpioReadsBackWhatWasWritten()
    {
        if (ProgramLocator.Find("cpio") is null)
        {
            Assert.Skip("cpio is not installed (scripts/test.sh installs it)");
        }

        var archive = Path.Combine(_directory.FullName, "root.cpio");
        await using (var file = File.Create(archive))
        {
            var writer = new CpioArchiveWriter(file);
            writer.AddDirectory("etc");
            writer.AddFile("etc/motd", Encoding.UTF8.GetBytes("hello, odd length!\n"));
            writer.AddFile("init", Encoding.UTF8.GetBytes("#!/bin/sh\n"), 0x1ED);
            writer.AddSymlink("sh", "init");
            writer.Finish();
        }

        var extracted = Path.Combine(_directory.FullName, "out");
        Directory.CreateDirectory(extracted);
        var (exit, output) = await HostCommand.RunAsync("cpio", ["-i", "-d", "-F", archive, "--quiet"], TestContext.Current.CancellationToken, extracted);
        Assert.True(exit == 0, output);
        Assert.Equal("hello, odd length!\n", await File.ReadAllTextAsync(Path.Combine(extracted, "etc", "motd"), TestContext.Current.CancellationToken));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute, File.GetUnixFileMode(Path.Combine(extracted, "init")));
        Assert.Equal("init", new FileInfo(Path.Combine(extracted, "sh")).LinkTarget);
    }
}
