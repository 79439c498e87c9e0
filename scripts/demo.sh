#!/usr/bin/env bash
# README command 1: set up, build, and run the main job on the bundled example
# (a Dutch web shop's register and a HAR of its pages).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_TARGETS=blindspot bash scripts/setup.sh
ex=examples/webshop
set +e
./build/release/blindspot audit \
  --register "$ex/register.yaml" \
  --har "$ex/har/home.har" --har "$ex/har/checkout.har" \
  --lang nl --out report.html
rc=$?
set -e
if [ $rc -gt 1 ]; then exit $rc; fi
./build/release/blindspot audit --register "$ex/register.yaml" \
  --har "$ex/har/home.har" --har "$ex/har/checkout.har" --lang nl --format text | head -40
echo
echo "Report written to $(pwd)/report.html"
