#!/usr/bin/env bash
# Installs the Debian 12 packages Rampart needs, only those missing.
#   scripts/install-deps.sh build   - to build and run Rampart, and to package it (make package:
#                                     dpkg-dev and file for dpkg-shlibdeps)
#   scripts/install-deps.sh test    - also what the test suites need (the package test: systemd
#                                     for systemd-analyze, man-db, adduser for the postinst)
set -euo pipefail
what=${1:-build}
pkgs=(build-essential cmake ninja-build pkg-config ccache libboost1.81-dev
      libcpp-httplib-dev nlohmann-json3-dev libsqlite3-dev libsodium-dev libssl-dev
      libcli11-dev libfmt-dev libspdlog-dev zlib1g-dev libbrotli-dev libpq-dev
      libqrencode-dev libmagic-dev libmagic-mgc libxlsxwriter-dev
      libcmark-gfm-dev libcmark-gfm-extensions-dev libcurl4-openssl-dev
      libcairo2-dev libpango1.0-dev libzip-dev libxml2-dev fonts-dejavu-core fonts-droid-fallback
      prometheus-cpp-dev libre2-dev dpkg-dev file)
if [ "$what" = test ]; then
  pkgs+=(libgtest-dev libgmock-dev libbenchmark-dev chromium sqlite3 clang-format clang-tidy
        clang libclang-rt-dev postgresql-15 python3-aiosmtpd
        poppler-utils libreoffice-writer-nogui libreoffice-calc-nogui unzip curl
        prometheus systemd man-db adduser openssl)
  command -v node >/dev/null 2>&1 || pkgs+=(nodejs)
  command -v npm >/dev/null 2>&1 || pkgs+=(npm)
fi
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "Installing Debian packages: ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -q
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
