#!/usr/bin/env bash
# System packages that only CI's extra checks need, from Debian's archive: docker-compose, for a static
# check of docker-compose.yml (no Docker engine runs here). The test suite's own needs (the Temporal
# servers, Chromium) are provisioned by `npm test` itself, through src/toolchain.
# Idempotent: installs only what is missing.
set -euo pipefail

missing=()
command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)

if [ ${#missing[@]} -eq 0 ]; then
  echo "system packages: nothing missing"
  exit 0
fi

if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null 2>&1; then
  echo "system packages missing: ${missing[*]} (install them with your package manager)" >&2
  exit 0
fi
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
echo "installing from Debian's packages: ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "installed: ${missing[*]}"
