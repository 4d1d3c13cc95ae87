#!/usr/bin/env bash
# Installs the Debian packages Domus needs: "runtime" to run domains and build the demo image, "test" adds
# what the tests and CI use. Idempotent; needs root.
set -euo pipefail

profile="${1:-runtime}"
runtime=(
  ca-certificates
  qemu-system-x86 qemu-utils seabios ipxe-qemu   # the QEMU device model and its firmware
  iproute2 util-linux                            # taps and bridges; setsid
  dnsmasq-base nftables                          # domus network: DHCP for guests, NAT
  syslinux syslinux-common mtools dosfstools     # domus image demo: boot loader and FAT file system
)
# The web manager's browser packages come from npm when domusd builds; a Node.js from elsewhere (NodeSource's
# includes npm, and conflicts with Debian's npm package) is used as it is.
command -v npm >/dev/null || runtime+=(nodejs npm)
test_extra=(cpio fdisk expect nasm xorriso acpica-tools lz4 xz-utils chromium iperf3)  # chromium: the web manager's tests; iperf3: bench/Domus.Bench.Net

case "$profile" in
  runtime) packages=("${runtime[@]}") ;;
  test) packages=("${runtime[@]}" "${test_extra[@]}") ;;
  *) echo "debian-packages.sh: unknown profile '$profile' (runtime or test)" >&2; exit 2 ;;
esac

if [ "$(id -u)" -ne 0 ]; then
  echo "debian-packages.sh: run as root: apt-get must install ${packages[*]}" >&2
  exit 1
fi

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done

# domus image demo downloads packages by name, so the package lists must be there even when nothing is missing.
if [ "${#missing[@]}" -gt 0 ] || [ -z "$(ls -A /var/lib/apt/lists 2>/dev/null | grep -v -e lock -e partial)" ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
fi

if [ "${#missing[@]}" -gt 0 ]; then
  apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
