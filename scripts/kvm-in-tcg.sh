#!/usr/bin/env bash
# Runs a command where /dev/kvm works, on a host that has none: inside a QEMU TCG virtual machine whose emulated AMD
# CPU has SVM with nested paging, so that Debian's generic kernel loads kvm-amd and gives the command a real KVM,
# running on emulated hardware virtualization. The VM's root is this host's root over 9p under an overlay whose
# writes stay in the VM's memory; only the repository is shared writable (test results). The command runs as root in
# the repository, with no network, and its exit status is this script's.
#
# usage: scripts/kvm-in-tcg.sh COMMAND [ARGUMENT ...]
# environment: DOMUS_TEST_CACHE (default /var/tmp/domus-test-cache) keeps the kernel package;
#              KVM_IN_TCG_MEMORY (MiB, default 3072), KVM_IN_TCG_CPUS (default 1), KVM_IN_TCG_TIMEOUT (s, default 3600).
set -euo pipefail

if [ $# -eq 0 ]; then
    sed -n '2,10p' "$0" >&2
    exit 2
fi

repository=$(cd "$(dirname "$0")/.." && pwd)
cache=${DOMUS_TEST_CACHE:-/var/tmp/domus-test-cache}
work=$(mktemp -d /tmp/kvm-in-tcg.XXXXXX)
trap 'rm -rf "$work"' EXIT

# A Debian package's file in the cache, downloaded the first time.
cached_deb() {
    local deb
    deb=$(ls "$cache/debs/$1_"*.deb 2>/dev/null | head -n 1 || true)
    if [ -z "$deb" ]; then
        (cd "$cache/debs" && apt-get download -q "$1" >&2)
        deb=$(ls "$cache/debs/$1_"*.deb | head -n 1)
    fi
    echo "$deb"
}
mkdir -p "$cache/debs"

# Debian's generic kernel has kvm-amd and 9p as modules (the cloud kernel has no 9p).
kernel_package=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
deb=$(cached_deb "$kernel_package")
unpacked="$cache/kvm-in-tcg/$(basename "$deb" .deb)"
if [ ! -d "$unpacked" ]; then
    mkdir -p "$unpacked.partial"
    dpkg-deb -x "$deb" "$unpacked.partial"
    mv "$unpacked.partial" "$unpacked"
fi
modules=$(ls -d "$unpacked"/lib/modules/*)

# The initramfs: a static busybox (from its package in the cache, as the demo image takes it, not installed: it would
# replace the host's busybox), the modules with what they depend on (in load order), and the init below.
dpkg-deb -x "$(cached_deb busybox-static)" "$work/busybox"
busybox="$work/busybox/bin/busybox"
root="$work/root"
mkdir -p "$root/bin" "$root/modules" "$root/proc" "$root/sys" "$root/dev" "$root/host" "$root/lower" "$root/upper"
cp "$busybox" "$root/bin/busybox"
declare -A loaded=()
order=()
add_module() {
    local name=$1 file dependency
    [ -n "${loaded[$name]:-}" ] && return
    loaded[$name]=1
    file=$(find "$modules/kernel" -name "$name.ko" -o -name "${name//_/-}.ko" | head -n 1)
    if [ -z "$file" ]; then
        echo "kvm-in-tcg: $kernel_package has no module $name" >&2
        exit 2
    fi
    for dependency in $(grep -a -o -m 1 'depends=[a-z0-9_,-]*' "$file" | sed 's/^depends=//' | tr ',' ' '); do
        add_module "$dependency"
    done
    cp "$file" "$root/modules/$name.ko"
    order+=("$name")
}
for module in kvm_amd 9pnet_virtio 9p overlay virtio_pci tun bridge; do
    add_module "$module"
done

# The command, its words quoted for bash, as a script the init copies into the VM's root.
printf 'cd %q && exec %s\n' "$repository" "$(printf '%q ' "$@")" > "$root/command"
cat > "$root/init" <<EOF
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc && mount -t sysfs sys /sys && mount -t devtmpfs dev /dev
for module in ${order[*]}; do insmod /modules/\$module.ko || echo "kvm-in-tcg: module \$module did not load"; done
mount -t 9p -o trans=virtio,version=9p2000.L,msize=1048576 host /lower
mount -t tmpfs tmpfs /upper && mkdir /upper/data /upper/work
mount -t overlay overlay -o lowerdir=/lower,upperdir=/upper/data,workdir=/upper/work /host
mount -t proc proc /host/proc && mount -t sysfs sys /host/sys && mount -t devtmpfs dev /host/dev
mkdir -p /host/dev/pts && mount -t devpts devpts /host/dev/pts && mount -t tmpfs tmpfs /host/tmp && mount -t tmpfs tmpfs /host/run
# After the fresh /tmp and /run, which would hide a repository under them.
mkdir -p /host$repository && mount -t 9p -o trans=virtio,version=9p2000.L,msize=1048576 repository /host$repository
mount -t 9p -o trans=virtio,version=9p2000.L,msize=1048576 status /host/mnt
ip link set lo up
cp /command /host/run/kvm-in-tcg-command
chroot /host /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root TERM=dumb \
    DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOMUS_TEST_CACHE=$cache /bin/bash /run/kvm-in-tcg-command < /dev/console > /dev/console 2>&1
echo \$? > /host/mnt/status
sync
poweroff -f
EOF
chmod +x "$root/init"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1 > "$work/initrd.gz")

mkdir -p "$work/status"
# A bound on the whole run, so that a hung guest cannot hold CI until its own limit. One CPU by default: with two,
# multi-threaded TCG running nested SVM left both in soft lockups in one run of five (2026-11-26), and one is as fast.
timeout --foreground "${KVM_IN_TCG_TIMEOUT:-3600}" qemu-system-x86_64 -machine q35,accel=tcg -cpu EPYC -smp "${KVM_IN_TCG_CPUS:-1}" -m "${KVM_IN_TCG_MEMORY:-3072}" \
    -nodefaults -no-user-config -display none -no-reboot -serial stdio \
    -kernel "$unpacked/boot/vmlinuz-${kernel_package#linux-image-}" -initrd "$work/initrd.gz" \
    -append "console=ttyS0 quiet panic=-1" \
    -virtfs "local,path=/,mount_tag=host,security_model=none,readonly=on,multidevs=remap" \
    -virtfs "local,path=$repository,mount_tag=repository,security_model=none,multidevs=remap" \
    -virtfs "local,path=$work/status,mount_tag=status,security_model=none" \
    2> >(grep -v "TCG doesn't support requested feature" >&2)
if [ ! -s "$work/status/status" ]; then
    echo "kvm-in-tcg: the virtual machine ended before the command did" >&2
    exit 1
fi
exit "$(cat "$work/status/status")"
