namespace Domus.Vmm.Host;

/// <summary>A QMP command that fails: QEMU's error class and a description for the client.</summary>
public sealed class QmpCommandException(string description, string errorClass = "GenericError") : Exception(description)
{
    public string ErrorClass { get; } = errorClass;
}
