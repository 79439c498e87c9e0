#!/usr/bin/env bash
# Installs what blindspot needs to build (Debian 12 packages, as root) and
# builds it in build/release. Safe to run again: apt and ninja skip what is done.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
  g++ cmake ninja-build pkg-config ccache git clang-format
  libyaml-cpp-dev libyaml-dev nlohmann-json3-dev libsimdjson-dev libpsl-dev publicsuffix
  libcli11-dev libfmt-dev libkainjow-mustache-dev libgumbo-dev libmimalloc-dev
  libpcre2-dev webext-ublock-origin-chromium
  libcpp-httplib-dev libssl-dev chromium poppler-utils
  libsodium-dev liboath-dev libsqlite3-dev libpqxx-dev postgresql wrk curl libzip-dev zlib1g-dev libqrencode-dev libpugixml-dev libxlsxwriter-dev libldns-dev
  ldnsutils libxml2-utils time
  libgtest-dev libgmock-dev libbenchmark-dev
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "== installing: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Page scripts compiled into the binary (third_party/browser/package.json, exact
# versions in package-lock.json): installed from npm at build time, never at run
# time. Debian's nodejs and npm when no node/npm is there yet (a NodeSource
# nodejs brings its own npm and conflicts with Debian's npm package).
if ! command -v npm >/dev/null 2>&1; then
  echo "== installing: nodejs npm"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi
lock_sum=$(sha256sum third_party/browser/package-lock.json | cut -d' ' -f1)
if [ "$(cat third_party/browser/node_modules/.blindspot-lock 2>/dev/null)" != "$lock_sum" ]; then
  echo "== npm ci (third_party/browser)"
  (cd third_party/browser && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
  echo "$lock_sum" >third_party/browser/node_modules/.blindspot-lock
fi
# The browser tests' playwright-core (tests/browser): it drives Debian's
# chromium; no browser is downloaded.
lock_sum=$(sha256sum tests/browser/package-lock.json | cut -d' ' -f1)
if [ "$(cat tests/browser/node_modules/.blindspot-lock 2>/dev/null)" != "$lock_sum" ]; then
  echo "== npm ci (tests/browser)"
  (cd tests/browser && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
  echo "$lock_sum" >tests/browser/node_modules/.blindspot-lock
fi

BUILD_DIR=${BUILD_DIR:-build/release}
echo "== building in $BUILD_DIR"
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
ninja -C "$BUILD_DIR" -j"$(nproc)" ${BUILD_TARGETS:-}
