#!/usr/bin/env bash
# The native VMM's test suites that need /dev/kvm, from their built test programs (scripts/test.sh builds them):
# KVM's ABI, domus-dm's machines (hand-assembled guests, SeaBIOS, boot sectors, Linux direct boot, the PC's devices)
# and domus-dm as the native device model. Where this host has no /dev/kvm, they run in scripts/kvm-in-tcg.sh, which
# has no network: the Linux boot tests take Debian's cloud kernel from the test cache, where the suite's demo image
# put it (scripts/test.sh runs the suite first).
set -euo pipefail

cd "$(dirname "$0")/.."
if [ ! -e /dev/kvm ]; then
  echo "test-kvm.sh: no /dev/kvm here; running the KVM suites in a QEMU TCG VM with emulated AMD-V (scripts/kvm-in-tcg.sh)"
  # About 7 minutes; a hung VM ends after 30.
  KVM_IN_TCG_TIMEOUT=${KVM_IN_TCG_TIMEOUT:-1800} exec ./scripts/kvm-in-tcg.sh ./scripts/test-kvm.sh
fi

status=0
run() {
  local project=$1
  shift
  echo "== $project $*"
  # One test at a time: the machines share two emulated CPUs, and a start timeout is a timeout.
  "tests/$project/bin/Debug/net10.0/$project" -noColor -parallelMode none "$@" || status=1
}
run Domus.Vmm.Kvm.Tests
run Domus.Vmm.Machine.Tests
# The QEMU device model's tests run on the host itself, where QEMU has TCG.
run Domus.DeviceModels.Tests -namespace Domus.DeviceModels.Tests.Native
# domusd and the CLI with domus-dm: the screen's end-to-end tests.
run Domus.Cli.Tests -method 'Domus.Cli.Tests.EndToEnd.ScreenTests.DomusDms*'
exit $status
