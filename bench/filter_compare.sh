#!/usr/bin/env bash
# blindspot's filter engine side by side with uBlock Origin's and Ghostery's
# on the same list and the same corpus of real requests (bench/README.md).
#
#   bench/filter_compare.sh [BUILD_DIR]          # default build/rel
#
# Needs: BUILD_DIR/src/blindspot and BUILD_DIR/bench/filter_bench (a Release
# build: ninja -C build/rel blindspot filter_bench), node, the peers in
# bench/node_modules (npm install --prefix bench), the real captures in
# ../shared/realdata/har (HAR_DIR=...), EasyPrivacy from Debian's
# webext-ublock-origin-chromium (FILTER_LIST=... for another list; more
# lists: FILTER_LISTS="a.txt b.txt").
#
# Writes build/filter-bench/: the corpus (every request URL of every capture
# crossed with every page and frame URL of every capture, no line twice; and a
# 20,000-line sample), each engine's decisions, the timing rounds, the
# /usr/bin/time -v outputs, differences.tsv, report.txt; and in types/ a
# corpus of every request URL with every type (first and third party) with
# the three engines' decisions and their differences. Prints the report
# (bench/filter_report.mjs) and exits 1 when a target is missed.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build/rel}
OUT=${OUT:-build/filter-bench}
HAR_DIR=${HAR_DIR:-../shared/realdata/har}
ROUNDS=${ROUNDS:-3}
LISTS=${FILTER_LISTS:-${FILTER_LIST:-/usr/share/chromium/extensions/ublock-origin/assets/thirdparties/easylist/easyprivacy.txt}}

for f in "$BUILD/src/blindspot" "$BUILD/bench/filter_bench"; do
  [ -x "$f" ] || { echo "missing $f: ninja -C $BUILD blindspot filter_bench" >&2; exit 2; }
done
[ -d bench/node_modules/@gorhill/ubo-core ] && [ -d bench/node_modules/@ghostery/adblocker ] ||
  { echo "missing the peers: npm install --prefix bench" >&2; exit 2; }
[ -d "$HAR_DIR" ] || { echo "missing the captures: $HAR_DIR (HAR_DIR=...)" >&2; exit 2; }
LIST_ARGS=()
for l in $LISTS; do
  [ -f "$l" ] || { echo "missing list $l (apt-get install webext-ublock-origin-chromium)" >&2; exit 2; }
  LIST_ARGS+=(--list "$l")
done
[ -x /usr/bin/time ] || { echo "missing /usr/bin/time (apt-get install time)" >&2; exit 2; }

mkdir -p "$OUT"
rm -f "$OUT"/timing-*.json "$OUT"/*.time
echo "== corpus"
node bench/filter_corpus.mjs "$HAR_DIR" "$OUT/corpus.tsv" 20000 "$OUT/corpus20k.tsv"

echo "== decisions (whole corpus, peak memory)"
/usr/bin/time -v -o "$OUT/full-ours.time" "$BUILD/src/blindspot" match-filters "${LIST_ARGS[@]}" \
  --requests "$OUT/corpus.tsv" >"$OUT/ours.txt"
for peer in ubo ghostery; do
  /usr/bin/time -v -o "$OUT/full-$peer.time" node bench/filter_peer.mjs $peer "${LIST_ARGS[@]}" \
    --requests "$OUT/corpus.tsv" --decisions "$OUT/$peer.txt" --no-timing >/dev/null
done

echo "== load + 20,000 requests, whole process (5 runs each)"
for i in 1 2 3 4 5; do
  /usr/bin/time -v -o "$OUT/20k-ours-$i.time" "$BUILD/src/blindspot" match-filters "${LIST_ARGS[@]}" \
    --requests "$OUT/corpus20k.tsv" >/dev/null
  for peer in ubo ghostery; do
    /usr/bin/time -v -o "$OUT/20k-$peer-$i.time" node bench/filter_peer.mjs $peer "${LIST_ARGS[@]}" \
      --requests "$OUT/corpus20k.tsv" --no-timing >/dev/null
  done
done

echo "== per-request timing, $ROUNDS rounds, engines alternating"
for i in $(seq 1 "$ROUNDS"); do
  "$BUILD/bench/filter_bench" "${LIST_ARGS[@]}" --requests "$OUT/corpus.tsv" \
    --decisions "$OUT/ours-bench.txt" >"$OUT/timing-ours-$i.json"
  for peer in ubo ghostery; do
    node bench/filter_peer.mjs $peer "${LIST_ARGS[@]}" --requests "$OUT/corpus.tsv" >"$OUT/timing-$peer-$i.json"
  done
  cat "$OUT"/timing-*-"$i".json
done
# The timing harness must decide as the command does.
cmp -s "$OUT/ours.txt" "$OUT/ours-bench.txt" ||
  { echo "filter_bench and blindspot match-filters disagree" >&2; exit 1; }

echo "== every type: each request URL with every type, first and third party (decisions only)"
mkdir -p "$OUT/types"
node bench/filter_corpus.mjs --every-type "$HAR_DIR" "$OUT/types/corpus.tsv"
"$BUILD/src/blindspot" match-filters "${LIST_ARGS[@]}" --requests "$OUT/types/corpus.tsv" >"$OUT/types/ours.txt"
for peer in ubo ghostery; do
  node bench/filter_peer.mjs $peer "${LIST_ARGS[@]}" --requests "$OUT/types/corpus.tsv" \
    --decisions "$OUT/types/$peer.txt" --no-timing >/dev/null
done

echo "== report"
names=""
for l in $LISTS; do names="$names $(basename "$l")"; done
set +e
{
  FILTER_LIST_NAME="${names# }" node bench/filter_report.mjs "$OUT"
  rc=$?
  echo
  echo "every type (not a target: these type and party combinations are made up, the real mix is above):"
  node bench/filter_report.mjs "$OUT/types" --agreement-only
  exit $rc
} | tee "$OUT/report.txt"
exit "${PIPESTATUS[0]}"
