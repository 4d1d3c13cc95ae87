#!/usr/bin/env bash
# Installs the Debian packages Domus needs: "runtime" for running domains, "test" adds what the tests use.
# Idempotent; needs root.
set -euo pipefail

profile="${1:-runtime}"
runtime=(ca-certificates)
test_extra=()

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

if [ "${#missing[@]}" -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
