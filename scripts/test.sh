#!/usr/bin/env bash
# Runs the whole test suite: installs what the tests need, builds, and runs every test project.
set -euo pipefail

cd "$(dirname "$0")/.."
./scripts/require-dotnet.sh
./scripts/debian-packages.sh test

dotnet test Domus.slnx "$@"

# Without /dev/kvm the suites above skip domus-dm's KVM tests, saying so; they run here instead, on a real KVM inside
# a QEMU TCG VM (scripts/test-kvm.sh). DOMUS_TEST_KVM_IN_TCG=0 leaves them out.
if [ $# -eq 0 ] && [ ! -e /dev/kvm ]; then
  if [ "${DOMUS_TEST_KVM_IN_TCG:-1}" = 1 ]; then
    ./scripts/test-kvm.sh
  else
    echo "test.sh: domus-dm's KVM tests were skipped (no /dev/kvm, and DOMUS_TEST_KVM_IN_TCG=0)"
  fi
fi
