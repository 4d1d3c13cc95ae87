using System.Text.Json.Nodes;

namespace Domus.DeviceModels.Qmp;

/// <summary>An asynchronous QMP event, such as SHUTDOWN with its reason.</summary>
public sealed record QmpEvent(string Name, JsonObject? Data);
