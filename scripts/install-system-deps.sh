#!/usr/bin/env bash
# System packages the tests need that a fresh machine may lack, from Debian's archive.
# chromium: the browser test of the Web UI; docker-compose: a static check of docker-compose.yml.
# Idempotent: installs only what is missing. Java and Maven (time-skipping test server) and Go
# (Temporal CLI build) are expected on the machine; the toolchain step explains what to do if not.
set -euo pipefail

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
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
