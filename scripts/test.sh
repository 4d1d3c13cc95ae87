#!/usr/bin/env bash
# Runs the whole test suite: installs what the tests need, builds, and runs every test project.
set -euo pipefail

cd "$(dirname "$0")/.."
./scripts/require-dotnet.sh
./scripts/debian-packages.sh test

dotnet test Domus.slnx "$@"
