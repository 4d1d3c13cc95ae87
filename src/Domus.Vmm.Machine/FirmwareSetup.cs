namespace Domus.Vmm.Machine;

/// <summary>What a firmware-booted PC needs besides its memory and vCPUs.</summary>
public sealed record FirmwareSetup
{
    /// <summary>The firmware image, e.g. Debian's /usr/share/seabios/bios.bin.</summary>
    public required byte[] Firmware { get; init; }

    /// <summary>The real-time clock's distance from UTC (localtime and rtc_timeoffset).</summary>
    public TimeSpan ClockOffset { get; init; }

    /// <summary>When set, SeaBIOS draws its screen on this serial port (etc/sercon-port), as on a headless machine.</summary>
    public ushort? SerialConsolePort { get; init; }

    /// <summary>The devices to boot from, first to last, as xm's <c>boot</c>: a floppy, c disk, d CD-ROM, n network.</summary>
    public string BootOrder { get; init; } = "cd";
}
