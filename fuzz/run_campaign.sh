#!/bin/sh
# Runs one fuzz target for a fixed time, niced, and prints one summary line.
#
#   fuzz/run_campaign.sh TARGET SECONDS [libFuzzer flags...]
#
# Expects the fuzz build in build/fuzz (docs/fuzzing.md) and the seeds from
# fuzz/make_seeds.py in build/fuzz/seeds/<kind>. Writes, under
# build/fuzz/campaign/TARGET/: corpus/ (kept between runs), artifacts/
# (crash-*, leak-*, timeout-*, oom-*), log.txt (libFuzzer output) and rss.txt
# (one sample every 10 s: unix time, VmRSS in KiB, corpus files, corpus KiB).
set -eu
target=$1
secs=$2
shift 2
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$root/build/fuzz/fuzz/$target
case $target in
  har_fuzz) kind=har; extra="-dict=$root/fuzz/har.dict -max_len=65536" ;;
  kb_fuzz) kind=kb; extra="" ;;
  register_fuzz) kind=register; extra="" ;;
  sheet_fuzz) kind=sheet; extra="-dict=$root/fuzz/sheet.dict -max_len=65536" ;;
  import_fuzz) kind=import; extra="-max_len=65536" ;;
  *) kind=${target%_fuzz}; extra="" ;;
esac
out=$root/build/fuzz/campaign/$target
mkdir -p "$out/corpus" "$out/artifacts"
[ -x "$bin" ] || { echo "no $bin: build it first (docs/fuzzing.md)" >&2; exit 2; }
[ -d "$root/build/fuzz/seeds/$kind" ] || { echo "no seeds: run python3 fuzz/make_seeds.py" >&2; exit 2; }

# shellcheck disable=SC2086
nice -n 10 "$bin" -max_total_time="$secs" -timeout=10 -print_final_stats=1 \
  -artifact_prefix="$out/artifacts/" $extra "$@" "$out/corpus" "$root/build/fuzz/seeds/$kind" \
  >"$out/log.txt" 2>&1 &
pid=$!
: >"$out/rss.txt"
while kill -0 "$pid" 2>/dev/null; do
  rss=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
  echo "$(date +%s) ${rss:-0} $(ls "$out/corpus" | wc -l) $(du -sk "$out/corpus" 2>/dev/null | cut -f1)" >>"$out/rss.txt"
  sleep 10
done
status=0
wait "$pid" || status=$?

last=$(grep -E '^#[0-9]+' "$out/log.txt" | tail -n 1 || true)
execs=$(awk -F: '/number_of_executed_units/ {gsub(/ /, "", $NF); print $NF}' "$out/log.txt")
peak=$(awk -F: '/peak_rss_mb/ {gsub(/ /, "", $NF); print $NF}' "$out/log.txt")
cov=$(echo "$last" | sed -n 's/.*cov: \([0-9]*\).*/\1/p')
ft=$(echo "$last" | sed -n 's/.*ft: \([0-9]*\).*/\1/p')
corp=$(echo "$last" | sed -n 's/.*corp: \([^ ]*\).*/\1/p')
crashes=$(ls "$out/artifacts" | wc -l)
echo "$target: ${secs}s exit=$status execs=${execs:-?} cov=${cov:-?} ft=${ft:-?} corp=${corp:-?}" \
  "corpus_dir=$(ls "$out/corpus" | wc -l)files peak_rss=${peak:-?}MB artifacts=$crashes"
