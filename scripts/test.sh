#!/usr/bin/env bash
# Runs the whole test suite: installs what the tests need, builds, and runs every test project.
set -euo pipefail

cd "$(dirname "$0")/.."
./scripts/require-dotnet.sh
./scripts/debian-packages.sh test

dotnet test Domus.slnx "$@"

# Without /dev/kvm the suites above skip domus-dm's KVM tests, saying so; they run here instead, on a real KVM
# inside a QEMU TCG VM (only for the whole suite: arguments to dotnet test choose tests themselves).
if [ $# -eq 0 ] && [ ! -e /dev/kvm ]; then
  ./scripts/test-kvm.sh
fi
