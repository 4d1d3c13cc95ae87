#!/usr/bin/env bash
# Domus builds with the .NET 10 SDK. Debian 12 does not package it; on these machines it is preinstalled.
set -euo pipefail

if ! command -v dotnet >/dev/null 2>&1; then
  echo "Domus needs the .NET 10 SDK ('dotnet' is not on PATH); install it, then run this again." >&2
  exit 1
fi

major="$(dotnet --version 2>/dev/null | cut -d. -f1)"
if [ -z "$major" ] || [ "$major" -lt 10 ]; then
  echo "Domus needs the .NET 10 SDK; 'dotnet --version' says $(dotnet --version 2>/dev/null || echo nothing)." >&2
  exit 1
fi
