#!/usr/bin/env bash
# blindspot scan against The Markup's Blacklight collector on the local test
# shop, in one run (bench/README.md, "scan_compare.sh"):
#
#   bench/scan_compare.sh [BUILD_DIR]            # default build/release
#
#   RUNS=2           repetitions of every configuration (min and median reported)
#   C12="1 3 4"      --concurrency values for the 12-page scans (Blacklight's pages)
#   C50="1 3 4"      --concurrency values for the 50-page scans (3: the default on 2 cores)
#   OUT=build/scan-bench
#   NO_BLACKLIGHT=1  leave the peer out
#
# Needs: BUILD_DIR/src/blindspot and BUILD_DIR/tools/webharness
# (ninja -C BUILD_DIR blindspot webharness), Debian's chromium, python3,
# /usr/bin/time, node and the peer in bench/node_modules
# (PUPPETEER_SKIP_DOWNLOAD=1 npm ci --prefix bench: no browser is downloaded,
# Blacklight drives /usr/bin/chromium).
#
# Every blindspot scan runs with BLINDSPOT_SCAN_TRACE=1 and its stderr
# time-stamped, so the report can say where the time goes. Memory: blindspot's
# own peak (VmHWM) and the sum of its Chromium processes' RSS and PSS, sampled
# every 200 ms by bench/rss_sample.py; the same for Blacklight (node + its
# Chromium). Writes everything to OUT and prints the report
# (bench/scan_report.mjs); exits 1 when a target is missed.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build/release}
OUT=${OUT:-build/scan-bench}
RUNS=${RUNS:-2}
C12=${C12-1 3 4}
C50=${C50-1 3 4}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
URL=https://www.fietshuis-zonnepad.nl/
BS=$BUILD/src/blindspot

for f in "$BS" "$BUILD/tools/webharness"; do
  [ -x "$f" ] || { echo "missing $f: ninja -C $BUILD blindspot webharness" >&2; exit 2; }
done
[ -x /usr/bin/time ] || { echo "missing /usr/bin/time (apt-get install time)" >&2; exit 2; }
[ -x "$CHROMIUM" ] || { echo "missing $CHROMIUM (apt-get install chromium)" >&2; exit 2; }
if [ -z "${NO_BLACKLIGHT:-}" ] && [ ! -d bench/node_modules/@themarkup/blacklight-collector ]; then
  echo "missing the peer: PUPPETEER_SKIP_DOWNLOAD=1 npm ci --prefix bench" >&2
  exit 2
fi

rm -rf "$OUT"
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
{
  echo "start $(date -u +%FT%TZ) $(uptime)"
  echo "cores $(nproc)"
  echo "chromium $("$CHROMIUM" --version 2>/dev/null || true)"
  echo "blindspot $("$BS" version 2>/dev/null | head -1 || true)"
  echo "commit $(git rev-parse --short HEAD 2>/dev/null || true)"
} >"$OUT/env.txt"

# The local internet.
: >"$OUT/harness.txt"
"$BUILD/tools/webharness" --root examples/internet --https-port 0 --http-port 0 \
  >"$OUT/harness.txt" 2>/dev/null &
HARNESS=$!
trap 'kill $HARNESS 2>/dev/null || true' EXIT
until grep -q '^webharness ready' "$OUT/harness.txt"; do
  kill -0 $HARNESS 2>/dev/null || { echo "webharness did not start" >&2; exit 1; }
  sleep 0.1
done
mapfile -t BA < <(sed -n 's/^browser-arg /--browser-arg=/p' "$OUT/harness.txt")

# stdin lines with seconds since the stamper started (for the trace lines).
stamp() {
  python3 -u -c '
import sys, time
t0 = time.monotonic()
for line in sys.stdin:
    sys.stdout.write("%.3f %s" % (time.monotonic() - t0, line))
    sys.stdout.flush()'
}

# run NAME CMD...: wall/CPU/max RSS by /usr/bin/time, memory sampled meanwhile.
run() {
  local name=$1
  shift
  date +%s.%N >"$OUT/$name.start"
  /usr/bin/time -f "wall %e user %U sys %S maxrss_kib %M rc %x" -o "$OUT/$name.time" "$@" \
    >"$OUT/$name.out" 2> >(stamp >"$OUT/$name.err") &
  local pid=$!
  python3 bench/rss_sample.py "$pid" "$OUT/$name.mem.json" 200 &
  local sampler=$!
  wait "$pid" || true
  wait "$sampler" || true
  # the stamper may still be writing the last lines
  sleep 0.3
}

blacklight() {
  local name=bl-12-r$1
  echo "== $name: Blacklight, 12 pages, one pass"
  run "$name" env PUPPETEER_SKIP_DOWNLOAD=1 CHROMIUM="$CHROMIUM" node bench/blacklight_run.mjs \
    "$URL" "$OUT/$name" 12 "$OUT/$name.summary.json" "${BA[@]}"
  grep '^blacklight:' "$OUT/$name.out" || true
  # What its capture holds, named by blindspot's knowledge base (for the vendor mapping).
  if [ -f "$OUT/$name/requests.har" ]; then
    "$BS" detect --har "$OUT/$name/requests.har" --first-party fietshuis-zonnepad.nl --format json \
      --out "$OUT/$name.detect.json" 2>/dev/null || true
  fi
}

scan() {  # PAGES CONCURRENCY RUN
  local name=bs-$1-c$2-r$3
  echo "== $name: blindspot, $1 pages, three phases, --concurrency $2"
  run "$name" env BLINDSPOT_SCAN_TRACE=1 "$BS" scan "$URL" "${BA[@]}" --browser "$CHROMIUM" \
    --pages "$1" --concurrency "$2" --out "$OUT/$name"
  tail -1 "$OUT/$name.time" || true
  for phase in before-consent after-reject after-accept; do
    [ -f "$OUT/$name/$phase/capture.har" ] || continue
    "$BS" detect --har "$OUT/$name/$phase/capture.har" --first-party fietshuis-zonnepad.nl \
      --format json --out "$OUT/$name.$phase.detect.json" 2>/dev/null || true
  done
}

for r in $(seq 1 "$RUNS"); do
  [ -n "${NO_BLACKLIGHT:-}" ] || blacklight "$r"
  for c in $C12; do scan 12 "$c" "$r"; done
  for c in $C50; do scan 50 "$c" "$r"; done
done

echo "end $(date -u +%FT%TZ) $(uptime)" >>"$OUT/env.txt"
node bench/scan_report.mjs "$OUT" | tee "$OUT/report.md"
