using Domus.Config.Model;
using Domus.Vmm.Backends.Network;

namespace Domus.Vmm.Machine;

/// <summary>A network card of the PC: its model (<see cref="NicModel.Pcnet"/> or <see cref="NicModel.VirtioNet"/>), its MAC, and its wire.</summary>
public sealed record PcNetworkCard(NicModel Model, MacAddress Mac, INetworkBackend Wire)
{
    /// <summary>The models this machine builds.</summary>
    public static bool IsBuilt(NicModel model) => model is NicModel.Pcnet or NicModel.VirtioNet;
}
