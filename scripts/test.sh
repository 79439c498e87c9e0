#!/usr/bin/env bash
# README command 2: set up, build everything, and run all tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cd build/release
ctest --output-on-failure -j"$(nproc)"
