#!/usr/bin/env bash
# Installs Domus on this Debian machine: its Debian packages, a Release build under /usr/local/lib/domus,
# and the 'domus' command in /usr/local/bin. Run as root from the repository.
set -euo pipefail

cd "$(dirname "$0")/.."
./scripts/require-dotnet.sh
./scripts/debian-packages.sh runtime

prefix="${DOMUS_PREFIX:-/usr/local}"
dotnet publish src/Domus.Cli/Domus.Cli.csproj -c Release -o "$prefix/lib/domus" --nologo -v quiet
ln -sf "$prefix/lib/domus/domus" "$prefix/bin/domus"
install -d -m 0755 /etc/domus/vm
echo "Installed: $(command -v domus)"
