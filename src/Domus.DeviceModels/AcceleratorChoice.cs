namespace Domus.DeviceModels;

/// <summary>How guest code runs (<c>kvm</c> or <c>tcg</c>), the CPU model that goes with it, and why it was chosen.</summary>
public sealed record AcceleratorChoice(string Name, string CpuModel, string Reason)
{
    public const string Kvm = "kvm";
    public const string Tcg = "tcg";

    public static AcceleratorChoice Emulation(string reason) => new(Tcg, "max", reason);
}
