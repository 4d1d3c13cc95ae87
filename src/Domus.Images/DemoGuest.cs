namespace Domus.Images;

/// <summary>
/// The demo guest's own files: an initramfs root of busybox whose init mounts the kernel's file systems,
/// turns a press of the ACPI power button into a clean poweroff, says it has started, and keeps a shell on
/// the serial console. Ctrl-Alt-Del reboots, as on any PC. Each network card whose driver the kernel has asks
/// for an address by DHCP (in the background), and the guest says what it got.
/// </summary>
public static class DemoGuest
{
    /// <summary>The line the guest prints once it is up; tests and domus create -c wait for it.</summary>
    public const string InitMessage = "Domus demo guest: init started";

    public const string KernelCommandLine = "console=ttyS0,115200";

    /// <summary>What the guest prints when a network card got its address: "…: eth0 has the address 10.0.0.5".</summary>
    public static string AddressMessage(string card, string address) => $"Domus demo guest: {card} has the address {address}";

    /// <summary>Kernel modules the guest always loads (with their dependencies).</summary>
    public static readonly IReadOnlyList<string> Modules = ["evdev", "button"];

    /// <summary>
    /// Network card drivers, loaded where the kernel package has them: Debian's generic kernel has all of these
    /// (PCnet, NE2000, RTL8139 and QEMU's RTL8139C+ (8139cp), e1000, virtio-net); its cloud kernel only virtio-net.
    /// </summary>
    public static readonly IReadOnlyList<string> NetworkModules = ["pcnet32", "ne2k_pci", "8139too", "8139cp", "e1000", "virtio_pci", "virtio_net"];

    /// <summary>A digest of everything above and of the boot loader's configuration: a cached image built from other files is stale.</summary>
    public static string Revision => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(
        string.Join('\0', [.. Files.Select(f => f.Content), .. Modules, .. NetworkModules, SyslinuxConfig]))))[..12];

    /// <summary>The guest's files besides busybox and the modules: path, content, executable.</summary>
    public static IReadOnlyList<(string Path, string Content, bool Executable)> Files =>
    [
        ("init", Init, true), ("etc/inittab", Inittab, false), ("etc/rc", Rc, true), ("etc/profile", Profile, false),
        ("etc/udhcpc.script", UdhcpcScript, true),
    ];

    private const string Init = """
        #!/bin/sh
        mount -t proc proc /proc
        mount -t sysfs sys /sys
        mount -t devtmpfs dev /dev
        exec /bin/init

        """;

    private const string Inittab = """
        ::sysinit:/etc/rc
        ttyS0::respawn:/bin/cttyhack /bin/sh -l
        ::ctrlaltdel:/bin/reboot
        ::shutdown:/bin/echo "Domus demo guest: shutting down"

        """;

    private static string Rc => $$"""
        #!/bin/sh
        for module in $(cat /lib/modules/load-order); do insmod "/lib/modules/$module.ko"; done
        hostname domus-demo
        ifconfig lo 127.0.0.1 up
        for device in /sys/class/input/event*; do
          if grep -q "Power Button" "$device/device/name" 2>/dev/null; then
            (dd if="/dev/input/${device##*/}" bs=24 count=1 >/dev/null 2>&1 && echo "Domus demo guest: power button pressed" && poweroff) &
          fi
        done
        for interface in /sys/class/net/eth*; do
          [ -e "$interface" ] || continue
          name="${interface##*/}"
          ifconfig "$name" up
          (udhcpc -i "$name" -s /etc/udhcpc.script -t 10 -T 2 -n -q 2>/dev/null || echo "Domus demo guest: $name got no address by DHCP") &
        done
        echo "{{InitMessage}}"

        """;

    /// <summary>busybox udhcpc's hook: configures the card and the default route, and says so.</summary>
    private static string UdhcpcScript => $$"""
        #!/bin/sh
        case "$1" in
          deconfig) ifconfig "$interface" 0.0.0.0 ;;
          bound|renew)
            ifconfig "$interface" "$ip" netmask "${subnet:-255.255.255.0}"
            for gateway in $router; do route add default gw "$gateway" dev "$interface" 2>/dev/null; break; done
            echo "{{AddressMessage("$interface", "$ip")}}" ;;
        esac

        """;

    private const string Profile = """
        export PS1='domus-demo# '

        """;

    public static string SyslinuxConfig => $"""
        DEFAULT linux
        SERIAL 0 115200
        PROMPT 0
        TIMEOUT 0
        LABEL linux
          KERNEL vmlinuz
          INITRD initrd.gz
          APPEND {KernelCommandLine}

        """;
}
