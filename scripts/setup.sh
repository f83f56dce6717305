#!/usr/bin/env bash
# Installs the Debian packages `ingest` builds against, only when they are missing.
# Called by `make demo` and `make test`; safe to run again.
set -euo pipefail

packages=(libxml2-dev libicu-dev libcurl4-openssl-dev libsqlite3-dev zlib1g-dev pkg-config gzip postgresql openssl)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if ! command -v swift >/dev/null 2>&1; then
  for d in /opt/swift/usr/bin /usr/share/swift/usr/bin; do
    [ -x "$d/swift" ] && { echo "setup: swift found in $d; add it to PATH" >&2; break; }
  done
  echo "setup: the Swift 6 toolchain is required (https://www.swift.org/install/linux/)" >&2
  exit 1
fi
