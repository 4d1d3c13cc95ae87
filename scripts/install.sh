#!/usr/bin/env bash
# Installs Domus on this Debian machine: its Debian packages; domusd, and the native (ahead-of-time compiled)
# domus and domus-dm under /usr/local/lib/domus; the 'domus' command in /usr/local/bin; the systemd unit when systemd
# is there. Run as root from the repository.
set -euo pipefail

cd "$(dirname "$0")/.."
./scripts/require-dotnet.sh
./scripts/debian-packages.sh runtime

prefix="${DOMUS_PREFIX:-/usr/local}"
target="$prefix/lib/domus"
dotnet publish src/Domus.Daemon/Domus.Daemon.csproj -c Release -o "$target" --nologo -v quiet
dotnet publish src/Domus.Cli/Domus.Cli.csproj -c Release -r linux-x64 -p:PublishAot=true -o "$target" --nologo -v quiet
dotnet publish src/Domus.Vmm.Host/Domus.Vmm.Host.csproj -c Release -r linux-x64 -p:PublishAot=true -o "$target" --nologo -v quiet
rm -f "$target"/*.dbg
ln -sf "$target/domus" "$prefix/bin/domus"
install -d -m 0755 /etc/domus/vm /var/lib/domus
if [ -d /etc/systemd/system ]; then
  sed "s#@DOMUSD@#$target/domusd#" packaging/domusd.service > /etc/systemd/system/domusd.service
  if [ -d /run/systemd/system ]; then systemctl daemon-reload; fi
fi
echo "Installed: $(command -v domus) and $target/domusd"
