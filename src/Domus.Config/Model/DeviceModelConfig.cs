namespace Domus.Config.Model;

/// <summary>The device model of the domain and, when the configuration names one, the program's path.</summary>
public sealed record DeviceModelConfig(DeviceModelKind Kind, string? Path);
