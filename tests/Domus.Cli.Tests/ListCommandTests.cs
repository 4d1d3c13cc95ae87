using Domus.Cli.Commands;

namespace Domus.Cli.Tests;

public sealed class ListCommandTests
{
    [Fact]
    public void RowsAreXlsLayout()
    {
        Assert.Equal("Name                                        ID   Mem VCPUs\tState\tTime(s)", ListCommand.Header);
        Assert.Equal("Domain-0                                     0  1024     2     r-----     123.4\n", ListCommand.Row("Domain-0", 0, 1024, 2, "r-----", 123.4));
        Assert.Equal("win                                          1  1019     1     -b----       0.3\n", ListCommand.Row("win", 1, 1019, 1, "-b----", 0.26));
    }

    [Theory]
    [InlineData(0, true, " 0:00:00")]
    [InlineData(3725, true, " 1:02:05")]
    [InlineData(90061, true, "1 day,  1:01:01")]
    [InlineData(2 * 86400 + 36000 + 60, true, "2 days, 10:01:00")]
    [InlineData(3725, false, " 1:02")]
    public void UptimeIsXms(double seconds, bool withSeconds, string text) => Assert.Equal(text, UptimeCommand.Format(seconds, withSeconds));
}
