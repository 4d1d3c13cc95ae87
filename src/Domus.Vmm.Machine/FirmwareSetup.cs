namespace Domus.Vmm.Machine;

/// <summary>A PC that boots through its firmware.</summary>
public sealed record FirmwareSetup
{
    /// <summary>The firmware image, e.g. Debian's /usr/share/seabios/bios.bin.</summary>
    public required byte[] Firmware { get; init; }

    /// <summary>When set, SeaBIOS draws its screen on this serial port (etc/sercon-port), as on a headless machine.</summary>
    public ushort? SerialConsolePort { get; init; }

    /// <summary>The devices to boot from, first to last, as xm's <c>boot</c>: a floppy, c disk, d CD-ROM, n network.</summary>
    public string BootOrder { get; init; } = "cd";

    /// <summary>Option ROMs by their fw_cfg file name (<c>pciVVVV,DDDD.rom</c>), which SeaBIOS runs for the PCI function with those ids.</summary>
    public IReadOnlyDictionary<string, byte[]> OptionRoms { get; init; } = new Dictionary<string, byte[]>();
}
