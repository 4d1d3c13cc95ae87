namespace Domus.Config.Model;

/// <summary>
/// A domain as Domus understands it: the configuration file, with overrides applied, defaults filled in,
/// deprecated keys mapped, and every value checked. Immutable; the schema is in docs/domain-config.md.
/// </summary>
public sealed record DomainConfig
{
    public const string HvmType = "hvm";

    public required string Name { get; init; }

    public required Guid Uuid { get; init; }

    public string Type { get; init; } = HvmType;

    public required long MemoryMib { get; init; }

    public required long MaxmemMib { get; init; }

    public required int Vcpus { get; init; }

    public required int Maxvcpus { get; init; }

    /// <summary>Host CPUs the vCPUs may run on: none means anywhere, one entry applies to all vCPUs, more are per vCPU.</summary>
    public required IReadOnlyList<string> Cpus { get; init; }

    /// <summary>Boot order: c (disk), d (CD-ROM), n (network), a (floppy).</summary>
    public required string Boot { get; init; }

    /// <summary><c>seabios</c>, <c>ovmf</c>, or the path of a firmware image.</summary>
    public required string Firmware { get; init; }

    public required string? Kernel { get; init; }

    public required string? Ramdisk { get; init; }

    public required string? Cmdline { get; init; }

    public required bool Acpi { get; init; }

    public required bool Apic { get; init; }

    public required bool Pae { get; init; }

    public required bool Localtime { get; init; }

    public required long RtcTimeoffset { get; init; }

    public required IReadOnlyList<DiskConfig> Disks { get; init; }

    public required IReadOnlyList<VifConfig> Vifs { get; init; }

    /// <summary>Serial ports in order (COM1 first), each a QEMU-style target such as <c>pty</c>.</summary>
    public required IReadOnlyList<string> Serial { get; init; }

    public required VncConfig Vnc { get; init; }

    public required bool Sdl { get; init; }

    public required bool Nographic { get; init; }

    public required VgaKind Vga { get; init; }

    public required int VideoramMib { get; init; }

    public required bool Usb { get; init; }

    public required IReadOnlyList<string> Usbdevice { get; init; }

    public required IReadOnlyList<string> Soundhw { get; init; }

    public required LifecycleAction OnPoweroff { get; init; }

    public required LifecycleAction OnReboot { get; init; }

    /// <summary>
    /// The device model resets the machine itself when the guest reboots and runs on (on_reboot = restart); for any
    /// other on_reboot it stops the machine and domusd acts.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool RebootsInPlace => OnReboot == LifecycleAction.Restart;

    public required LifecycleAction OnCrash { get; init; }

    public required DeviceModelConfig DeviceModel { get; init; }

    public required Accelerator Accel { get; init; }
}
