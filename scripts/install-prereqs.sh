#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine lacks for building, testing and running mnp.
# Idempotent: safe to run every time.
set -euo pipefail
# nftables: the real nft is the tests' oracle for the nftables backend (never used by src/).
# gcc, libc6-dev, linux-libc-dev, libiptc-dev: the unit tests compile the kernel and libiptc structs and constants with gcc.
packages=(iptables libip4tc2 libip6tc2 libiptc-dev gcc iproute2 libc6-dev linux-libc-dev nftables)
# kubectl renders deploy/ in the tests (kubectl kustomize); Debian's only when none is installed.
command -v kubectl >/dev/null || packages+=(kubernetes-client)
# A real headless browser renders `mnp matrix -o html` in the tests.
packages+=(chromium)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# The legacy x_tables modules (built in on some kernels, modules on others).
for m in ip_tables ip6_tables; do modprobe -q "$m" 2>/dev/null || true; done
command -v dotnet >/dev/null || { echo "dotnet SDK 10 is required on PATH" >&2; exit 1; }
