namespace Domus.Config.Normalization;

/// <summary>
/// The keys Domus knows: those its sections read, and those of xm (3.0-4.x) and xl.cfg(5) that it recognises
/// but does not act on (Xen hypervisor tuning, PV-only devices, passthrough, SPICE, stub domains). A known key
/// that nothing acted on is listed in one warning as accepted; any other key is reported as unknown, with the
/// nearest known name.
/// </summary>
public static class KnownKeys
{
    /// <summary>Every key a section of <see cref="DomainConfigBuilder"/> reads; <see cref="SettingsReader"/> checks it.</summary>
    public static readonly IReadOnlySet<string> ActedOn = new HashSet<string>(StringComparer.Ordinal)
    {
        "name", "uuid", "type", "builder", "memory", "maxmem", "vcpus", "maxvcpus", "cpus", "boot", "kernel", "firmware",
        "bios", "ramdisk", "cmdline", "root", "extra", "acpi", "apic", "pae", "localtime", "rtc_timeoffset", "serial",
        "usb", "usbdevice", "soundhw", "disk", "cdrom", "vif", "nics", "ne2000", "vnc", "vnclisten", "vncdisplay",
        "vncunused", "vncpasswd", "vncviewer", "vncconsole", "keymap", "sdl", "nographic", "vga", "stdvga", "videoram",
        "on_poweroff", "on_reboot", "on_crash", "restart", "device_model_version", "device_model_override",
        "device_model", "accel",
    };

    public static readonly IReadOnlySet<string> NotActedOn = new HashSet<string>(StringComparer.Ordinal)
    {
        "shadow_memory", "hap", "oos", "nestedhvm", "viridian", "hpet", "timer_mode", "tsc_mode", "vpt_align",
        "xen_platform_pci", "xen_platform_pci_bar_uc", "cpuid", "cpuid_check", "memory_sharing",
        "xen_extended_power_mgmt", "pci", "pci_msitranslate", "pci_power_mgmt", "pci_permissive", "pci_seize",
        "gfx_passthru", "vscsi", "guest_os_type", "opengl", "display", "xauthority", "monitor", "monitor_path",
        "snapshot", "isa", "audio", "fda", "fdb", "vtpm", "ioports", "iomem", "irq", "irqs", "vfb", "bootloader",
        "bootloader_args", "on_xend_start", "on_xend_stop", "on_watchdog", "on_soft_reset", "cpu_weight", "cpu_cap",
        "cap", "pool", "vcpu_avail", "cpus_soft", "vnuma", "seclabel", "init_seclabel", "max_grant_frames",
        "max_maptrack_frames", "max_grant_version", "nomigrate", "driver_domain", "vpmu", "acpi_s3", "acpi_s4",
        "acpi_laptop_slate", "nx", "altp2m", "altp2mhvm", "altp2m_count", "mmio_hole", "hdtype", "usbversion",
        "vendor_device", "spice", "spicehost", "spiceport", "spicetls_port", "spicedisable_ticketing", "spicepasswd",
        "spiceagent_mouse", "spicevdagent", "spice_clipboard_sharing", "spiceusbredirection",
        "spice_image_compression", "spice_streaming_video", "device_model_args", "device_model_args_hvm",
        "device_model_args_pv", "device_model_stubdomain_override", "device_model_stubdomain_seclabel",
        "device_model_user", "dm_restrict", "stubdomain_kernel", "stubdomain_cmdline", "stubdomain_ramdisk",
        "stubdomain_memory", "smbios", "smbios_firmware", "acpi_firmware", "ms_vm_genid", "vkb_device", "channel",
        "rdm", "usbctrl", "usbdev", "p9", "pvcalls", "dtdev", "max_event_channels", "parallel", "vif2",
        "bios_path_override", "firmware_override", "passthrough", "vmtrace_buf_kb", "vdispl", "vsnd", "vkb",
        "virtio", "tee", "mca_caps", "msr_relaxed", "vcpu_hard_affinity", "vcpu_soft_affinity", "e820_host",
        "claim_mode", "maxvcpu", "extra_hvm", "vncconsole_port",
    };

    public static IEnumerable<string> All => ActedOn.Concat(NotActedOn);

    public static bool Contains(string key) => ActedOn.Contains(key) || NotActedOn.Contains(key);
}
