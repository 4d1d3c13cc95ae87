using Domus.Config;
using Domus.Config.Syntax;
using Domus.DeviceModels;

namespace Domus.DeviceModels.Tests;

/// <summary>Device-model launches from configuration text, as domusd makes them.</summary>
public static class Launches
{
    public static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    public static DeviceModelLaunch From(string configText, string directory = "/run/domus/domains/7", IReadOnlyList<string>? taps = null, AcceleratorChoice? accelerator = null)
    {
        var config = DomainConfigLoader.Load(new SourceText("t.cfg", configText, "/images"), [], new LoadOptions { NewUuid = () => Guid.Parse("06ed00fe-1162-4fc4-b5d8-11993ee4a8b9") }).Config;
        return new DeviceModelLaunch
        {
            Config = config,
            DomainId = 7,
            Paths = new DomainPaths(directory, directory + "-state"),
            Accelerator = accelerator ?? AcceleratorChoice.Emulation("test"),
            Taps = taps ?? config.Vifs.Select((_, i) => $"vif7.{i}").ToList(),
            Now = Now,
        };
    }
}
