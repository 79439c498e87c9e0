#!/usr/bin/env bash
# Large-HAR check: time and peak memory of `blindspot detect` and `blindspot audit` on a
# generated HAR of about 1 GiB (issue: "a 1 GB HAR must not need 10 GB of memory").
#
#   bench/big_har.sh [BUILD_DIR] [SIZE]
#
# BUILD_DIR (default build/release) must already contain the targets `blindspot` and
# `gen_har` (this script builds nothing): for example
#   cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release
#   nice -n 10 ninja -C build/release -j2 blindspot gen_har
# SIZE (default 1G) is the HAR size passed to `gen_har --bytes` (suffix K, M or G = 1024^n).
#
# The HAR is written to a temporary directory under $TMPDIR (or /tmp; BUILD_DIR/tmp when that
# has too little free space) and removed on exit. Needs GNU time (/usr/bin/time, Debian
# package `time`). Prints, per run: file size, wall and CPU time, MB/s (10^6 bytes per
# second of wall time and of CPU time), peak RSS and peak RSS / file size. Exits 1 when a
# run fails or its peak RSS reaches 10 GiB (BIG_HAR_RSS_LIMIT_MIB=N sets another limit).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
build="${1:-build/release}"
size="${2:-1G}"
[[ "$build" = /* ]] || build="$PWD/$build"

blindspot="$build/src/blindspot"
gen_har="$build/bench/gen_har"
register="$root/examples/webshop/register.yaml"
gnu_time=/usr/bin/time
limit_mib="${BIG_HAR_RSS_LIMIT_MIB:-10240}"  # 10 GiB
limit_kib=$((limit_mib * 1024))

for f in "$blindspot" "$gen_har"; do
  [[ -x "$f" ]] || { echo "big_har.sh: $f not found; build the targets blindspot and gen_har first" >&2; exit 2; }
done
if ! "$gnu_time" -v true >/dev/null 2>&1; then
  echo "big_har.sh: GNU time is required at $gnu_time (Debian package 'time')" >&2
  exit 2
fi

# The HAR plus the outputs need about 1.1x SIZE of free disk space.
need_kib=$(awk -v s="$size" 'BEGIN { m = 1; u = substr(s, length(s));
  if (u ~ /[kK]/) m = 1; else if (u ~ /[mM]/) m = 1024; else if (u ~ /[gG]/) m = 1048576; else m = 1 / 1024;
  printf "%d", (s + 0) * m * 1.2 + 1024 }')
base="${TMPDIR:-/tmp}"
if [[ $(df -Pk "$base" | awk 'NR == 2 { print $4 }') -lt $need_kib ]]; then
  base="$build/tmp"
  mkdir -p "$base"
fi
work="$(mktemp -d "$base/big_har.XXXXXX")"
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

har="$work/big.har"
echo "generating $size HAR in $work ..."
"$gen_har" --bytes "$size" "$har"
bytes=$(stat -c %s "$har")

status=0
# run LABEL OUTPUT_FILE COMMAND...: runs COMMAND under GNU time with stdout to OUTPUT_FILE.
run() {
  local label="$1" out="$2"
  shift 2
  local tv="$work/time.txt" rc=0
  # The HAR was just written, so it is in the page cache for every run alike.
  "$gnu_time" -v -o "$tv" "$@" >"$out" 2>"$work/stderr.txt" || rc=$?
  if [[ $rc -ne 0 ]]; then
    echo "$label: exit code $rc" >&2
    cat "$work/stderr.txt" >&2
    status=1
    return
  fi
  awk -v label="$label" -v bytes="$bytes" -v outbytes="$(stat -c %s "$out")" -v limit="$limit_kib" '
    /Elapsed \(wall clock\) time/ {
      n = split($NF, p, ":"); wall = 0
      for (i = 1; i <= n; ++i) wall = wall * 60 + p[i]
    }
    /User time \(seconds\)/ { user = $NF }
    /System time \(seconds\)/ { sys = $NF }
    /Maximum resident set size \(kbytes\)/ { rss = $NF }
    END {
      cpu = user + sys
      if (wall <= 0) wall = 0.01
      if (cpu <= 0) cpu = 0.01
      printf "%s\n", label
      printf "  HAR file size     %.1f MiB (%d bytes)\n", bytes / 1048576, bytes
      printf "  output            %d bytes\n", outbytes
      printf "  wall time         %.2f s (%.0f MB/s)\n", wall, bytes / 1e6 / wall
      printf "  CPU time          %.2f s user + %.2f s sys (%.0f MB/s of CPU time)\n", user, sys, bytes / 1e6 / cpu
      printf "  peak RSS          %.1f MiB\n", rss / 1024
      printf "  peak RSS / file   %.2f\n", rss * 1024 / bytes
      if (rss >= limit) { printf "  FAIL: peak RSS reaches the limit of %d MiB\n", limit / 1024; exit 1 }
    }' "$tv" || status=1
}

run "blindspot detect --format json" "$work/detect.json" "$blindspot" detect --har "$har" --format json
run "blindspot audit --register examples/webshop/register.yaml --format json" "$work/audit.json" \
  "$blindspot" audit --register "$register" --har "$har" --format json --no-timestamp
exit $status
