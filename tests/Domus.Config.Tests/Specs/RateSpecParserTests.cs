using Domus.Config.Model;
using Domus.Config.Specs;

namespace Domus.Config.Tests.Specs;

public sealed class RateSpecParserTests
{
    [Theory]
    [InlineData("10Mb/s", 1_250_000L, 50_000L)]
    [InlineData("1MB/s@20ms", 1_000_000L, 20_000L)]
    [InlineData("100KB/s@500us", 100_000L, 500L)]
    [InlineData("1GB/s@1s", 1_000_000_000L, 1_000_000L)]
    [InlineData("8b/s@2", 1L, 2_000_000L)]
    public void RatesAreReadAsLibxluDoes(string text, long bytesPerSecond, long interval)
    {
        Assert.Equal(new RateLimit(bytesPerSecond, interval), RateSpecParser.Parse(text, message => Assert.Fail(message)));
    }

    [Theory]
    [InlineData("10Mb")]
    [InlineData("0MB/s")]
    [InlineData("10MB/s@")]
    [InlineData("10MB/s@0ms")]
    [InlineData("10MB/s@5000000s")]
    [InlineData("10mb/s")]
    [InlineData("99999999999MB/s")]
    public void BadRatesAreRefused(string text)
    {
        var problems = new List<string>();
        Assert.Null(RateSpecParser.Parse(text, problems.Add));
        Assert.Single(problems);
    }
}
