namespace Domus.Cli.Tests.EndToEnd;

/// <summary>The end-to-end tests boot real guests; they share the demo image and run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EndToEndGroup : ICollectionFixture<DemoImageFixture>
{
    public const string Name = "end to end";
}
