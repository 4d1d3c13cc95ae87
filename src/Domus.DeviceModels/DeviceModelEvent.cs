namespace Domus.DeviceModels;

/// <summary>Something the device model reports about its domain, with a detail for the log.</summary>
public sealed record DeviceModelEvent(DeviceModelEventKind Kind, string Detail);
