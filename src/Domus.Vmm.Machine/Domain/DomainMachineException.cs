namespace Domus.Vmm.Machine.Domain;

/// <summary>A domain's configuration that cannot be built into a machine on this host, with the reason.</summary>
public sealed class DomainMachineException(string message, Exception? inner = null) : Exception(message, inner);
