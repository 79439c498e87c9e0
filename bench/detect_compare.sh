#!/usr/bin/env bash
# Detection throughput side by side with a peer build of detect_bench (for example the last
# release, or the commit before a refactor: issue 5 asks for "within 5% of today").
#
#   bench/detect_compare.sh PEER_DETECT_BENCH [BUILD_DIR] [ROUNDS]
#
# Runs the peer's and this build's detect_bench alternately ROUNDS times (default 3), so both
# see the same machine load, and prints the median CPU-time rate of each benchmark for each,
# and this build's rate relative to the peer's. BUILD_DIR (default build/rel) must contain
# bench/detect_bench built with -DCMAKE_BUILD_TYPE=Release, like the peer. Exits 1 when this
# build's HarIngestDetect median is more than MAX_SLOWER_PCT (default 5) percent below the peer's.
set -euo pipefail

peer="${1:?usage: bench/detect_compare.sh PEER_DETECT_BENCH [BUILD_DIR] [ROUNDS]}"
build="${2:-build/rel}"
rounds="${3:-3}"
max_slower="${MAX_SLOWER_PCT:-5}"
this="$build/bench/detect_bench"
for f in "$peer" "$this"; do
  [[ -x "$f" ]] || { echo "detect_compare.sh: $f not found or not executable" >&2; exit 2; }
done

filter='HarIngest/reuse_reader:0|HarIngestDetect/|ClassifyUrl'
out="$(mktemp)"
trap 'rm -f "$out"' EXIT
for ((r = 1; r <= rounds; ++r)); do
  for side in peer this; do
    bin="$peer"
    [[ "$side" == this ]] && bin="$this"
    # One line per benchmark: side, name, rate in bytes/s or items/s. The console format is
    # parsed (the CSV reporter rejects counters that only some benchmarks have); Google
    # Benchmark prints bytes_per_second in units of 1024 and items_per_second in units of 1000.
    "$bin" --benchmark_filter="$filter" 2>/dev/null |
      awk -v side="$side" '/^BM_/ {
        name = $1; sub(/\/iterations:[0-9]+$/, "", name)
        for (i = 2; i <= NF; ++i) {
          if ($i !~ /^(bytes|items)_per_second=/) continue
          split($i, kv, "="); v = kv[2]; sub(/\/s$/, "", v)
          base = ($i ~ /^bytes/) ? 1024 : 1000
          m = 1; u = substr(v, length(v))
          if (u == "k") m = base; else if (u == "M") m = base * base; else if (u == "G") m = base * base * base
          if (u ~ /[kMG]/) v = substr(v, 1, length(v) - 1)
          print side, name, v * m
        }
      }' >>"$out"
  done
done

awk -v max_slower="$max_slower" '
  { v[$1 " " $2] = v[$1 " " $2] " " $3; names[$2] = 1 }
  function median(s,   a, n, i, j, t) {
    n = split(s, a, " ")
    for (i = 1; i <= n; ++i) for (j = i + 1; j <= n; ++j) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  END {
    status = 0
    printf "%-34s %20s %20s %8s\n", "benchmark (median CPU-time rate)", "peer", "this", "change"
    for (n in names) {
      p = median(v["peer " n]); t = median(v["this " n])
      unit = (n ~ /ClassifyUrl/) ? "M items/s" : "MB/s"
      scale = 1e6
      printf "%-34s %10.1f %-9s %10.1f %-9s %+7.1f%%\n", n, p / scale, unit, t / scale, unit, (t / p - 1) * 100
      if (n ~ /^BM_HarIngestDetect$/ && t < p * (1 - max_slower / 100)) status = 1
    }
    if (status) printf "FAIL: HarIngestDetect is more than %s%% slower than the peer\n", max_slower
    exit status
  }' "$out"
