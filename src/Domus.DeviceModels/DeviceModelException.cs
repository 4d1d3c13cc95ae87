namespace Domus.DeviceModels;

/// <summary>A device model could not be started or reached; the message is meant for the user.</summary>
public sealed class DeviceModelException(string message) : Exception(message);
