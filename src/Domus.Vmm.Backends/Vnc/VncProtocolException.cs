namespace Domus.Vmm.Backends.Vnc;

/// <summary>A client broke the protocol; its connection ends, nothing else does.</summary>
public sealed class VncProtocolException(string message) : Exception(message);
