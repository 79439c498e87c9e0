#!/usr/bin/env bash
# README command 1: set up, build, and run the main job on the bundled example:
# scan the example shop (a Dutch web shop, examples/internet) live in headless
# Chromium, in three consent phases, through the local "internet" harness
# (tools/webharness: no machine here reaches the internet), then audit the
# evidence bundle against the shop's register (examples/webshop/register.yaml).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_TARGETS="blindspot webharness" bash scripts/setup.sh
bin=build/release/src/blindspot
out=${DEMO_OUT:-demo-evidence}

# The harness: a local HTTPS + HTTP server that answers for the shop's and the
# vendors' real host names; Chromium is pointed at it by the arguments it prints.
harness_out=$(mktemp)
build/release/tools/webharness --https-port 0 --http-port 0 >"$harness_out" 2>/dev/null &
harness_pid=$!
# (|| true: under set -e a failing kill of a harness that already stopped would make the exit status 1)
trap 'kill $harness_pid 2>/dev/null || true; rm -f "$harness_out"' EXIT
until grep -q '^webharness ready' "$harness_out"; do
  kill -0 $harness_pid 2>/dev/null || { echo "the local web harness did not start" >&2; exit 1; }
  sleep 0.1
done
mapfile -t browser_args < <(sed -n 's/^browser-arg /--browser-arg=/p' "$harness_out")

# A new bundle each run: evidence is never overwritten.
rm -rf "$out"
# All 73 pages: breadth first, the checkout (/afrekenen, where the filled-in e-mail address leaves
# hashed to Meta and Google) is the last page, linked only from the cart.
echo "== blindspot scan https://www.fietshuis-zonnepad.nl/ (all 73 pages, three consent phases; output in Dutch, the shop's language: --lang nl)"
"$bin" scan https://www.fietshuis-zonnepad.nl/ --pages 80 --fill-forms --lang nl \
  "${browser_args[@]}" --out "$out"
kill $harness_pid 2>/dev/null || true

echo
# Evidence beyond the website: the shop's DNS zone and a DMARC aggregate report
# (examples/webshop/discovery, synthetic) show the mail platforms that send as
# the shop, which no website capture can.
disc=examples/webshop/discovery
echo "== blindspot audit --register examples/webshop/register.yaml --evidence $out --evidence $disc/fietshuis-zonnepad.nl.zone --evidence $disc/dmarc-google.com-2026-12-01.xml"
args=(--register examples/webshop/register.yaml --evidence "$out" --evidence "$disc/fietshuis-zonnepad.nl.zone"
  --evidence "$disc/dmarc-google.com-2026-12-01.xml" --lang nl)
# Exit 1 only means "findings at or above --fail-on", which this run does not set.
"$bin" audit "${args[@]}" --out report.html
"$bin" audit "${args[@]}" --format text --out report.txt
# The report up to its findings (action list, summary, touchpoints, verdicts); the findings,
# with their evidence and sources, follow in the files.
awk '/^Bevindingen$/ { exit } { print }' report.txt
echo "(The findings (Bevindingen), each with its evidence and sources, follow in report.txt and report.html.)"
echo
echo "Evidence bundle: $(pwd)/$out (check it with: $bin verify $out)"
echo "Report written to $(pwd)/report.html (text version: $(pwd)/report.txt)"
echo "The privacy administration (register, business owners' answers, approvals, history) on this example:"
echo "  bash scripts/serve_example.sh    # then open http://127.0.0.1:8080/ (docs/server.md)"
echo "The blindspot program is $(pwd)/$bin (install it with: cmake --install build/release)"
