namespace Domus.DeviceModels.Qmp;

/// <summary>QEMU answered a QMP command with an error, or the QMP connection failed.</summary>
public sealed class QmpException(string message) : Exception(message);
