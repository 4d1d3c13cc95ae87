using Domus.Config.Model;
using Domus.Vmm.Devices.Serial;

namespace Domus.Vmm.Machine.Domain;

/// <summary>A domain's configuration and what its machine connects to on the host.</summary>
public sealed record DomainMachineSetup
{
    public const string DefaultSeaBios = "/usr/share/seabios/bios.bin";
    public const string DefaultIpxeDirectory = "/usr/lib/ipxe/qemu";
    public const string DefaultVgaBios = "/usr/share/seabios/vgabios-stdvga.bin";

    public required DomainConfig Config { get; init; }

    /// <summary>COM1's far end when the configuration's first serial port is <c>pty</c> (the domain's console).</summary>
    public required ISerialBackend Console { get; init; }

    /// <summary>Where the firmware's debug output (port 0x402) goes.</summary>
    public required ISerialBackend FirmwareLog { get; init; }

    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>SeaBIOS, for <c>firmware = "seabios"</c>.</summary>
    public string SeaBios { get; init; } = DefaultSeaBios;

    /// <summary>The tap devices domusd made for the configuration's vifs, one per vif in their order.</summary>
    public IReadOnlyList<string> Taps { get; init; } = [];

    /// <summary>Where the iPXE ROMs of Debian's ipxe-qemu lie, which <c>boot = "n"</c> loads for the network cards.</summary>
    public string IpxeDirectory { get; init; } = DefaultIpxeDirectory;

    /// <summary>SeaVGABIOS for the standard VGA (Debian's seabios package), which SeaBIOS runs when the domain has a screen.</summary>
    public string VgaBios { get; init; } = DefaultVgaBios;
}
