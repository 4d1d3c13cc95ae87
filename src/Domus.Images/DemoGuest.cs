namespace Domus.Images;

/// <summary>
/// The demo guest's own files: an initramfs root of busybox whose init mounts the kernel's file systems,
/// turns a press of the ACPI power button into a clean poweroff, says it has started, and keeps a shell on
/// the serial console. Ctrl-Alt-Del reboots, as on any PC.
/// </summary>
public static class DemoGuest
{
    /// <summary>The line the guest prints once it is up; tests and domus create -c wait for it.</summary>
    public const string InitMessage = "Domus demo guest: init started";

    public const string KernelCommandLine = "console=ttyS0,115200";

    /// <summary>Kernel modules the init loads, by file name, from the kernel package.</summary>
    public static readonly IReadOnlyList<string> Modules = ["evdev.ko", "button.ko"];

    public const string Init = """
        #!/bin/sh
        mount -t proc proc /proc
        mount -t sysfs sys /sys
        mount -t devtmpfs dev /dev
        exec /bin/init

        """;

    public const string Inittab = """
        ::sysinit:/etc/rc
        ttyS0::respawn:/bin/cttyhack /bin/sh -l
        ::ctrlaltdel:/bin/reboot
        ::shutdown:/bin/echo "Domus demo guest: shutting down"

        """;

    public static string Rc => $$"""
        #!/bin/sh
        for module in /lib/modules/*.ko; do insmod "$module"; done
        hostname domus-demo
        for device in /sys/class/input/event*; do
          if grep -q "Power Button" "$device/device/name" 2>/dev/null; then
            (dd if="/dev/input/${device##*/}" bs=24 count=1 >/dev/null 2>&1 && echo "Domus demo guest: power button pressed" && poweroff) &
          fi
        done
        echo "{{InitMessage}}"

        """;

    public const string Profile = """
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
