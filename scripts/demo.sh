#!/usr/bin/env bash
# README command 1: set up, build, and run the main job on the bundled example
# (a Dutch web shop's register and HARs of its home and checkout pages).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_TARGETS=blindspot bash scripts/setup.sh
bin=build/release/src/blindspot
ex=examples/webshop
args=(--register "$ex/register.yaml" --har "$ex/har/home.har" --har "$ex/har/checkout.har" --lang nl)

# Exit 1 only means "findings at or above --fail-on", which this run does not set.
"$bin" audit "${args[@]}" --out report.html
"$bin" audit "${args[@]}" --format text --out report.txt
sed -n '1,/^Bevindingen$/p' report.txt
echo
echo "Report written to $(pwd)/report.html (text version: $(pwd)/report.txt)"
echo "The blindspot program is $(pwd)/$bin (install it with: cmake --install build/release)"
