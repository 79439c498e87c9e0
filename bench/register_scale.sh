#!/usr/bin/env bash
# Register scale check: time and peak memory of `blindspot audit` on a generated register of
# N processing activities and N touchpoints, in every report format, side by side with a peer
# build (issue 5: "20,000 activities and touchpoints audited in under 2 s and 500 MB").
#
#   bench/register_scale.sh [BUILD_DIR] [N]
#
# BUILD_DIR (default build/release) must contain the targets `blindspot` and `gen_register`
# (this script builds nothing). N defaults to 20000.
#
# Environment:
#   PEER=/path/to/blindspot   a second build measured on the same inputs in the same run
#                             (e.g. the last release, to show the change); optional
#   PEER_N=M                  register size for the peer (default N; an older build may need
#                             minutes and gigabytes at N = 20000)
#   RUNS=R                    runs per measurement of this build, the fastest is reported
#                             (default 3)
#   PEER_RUNS=R               the same for the peer (default 1)
#   LIMIT_S=2 LIMIT_MIB=500   targets for this build; exit 1 when the best run misses one
#
# The evidence is examples/webshop/har/home.har. Needs GNU time (/usr/bin/time, package `time`).
# Prints one line per (build, format): register size, wall and CPU time, peak RSS, output size.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
build="${1:-build/release}"
n="${2:-20000}"
[[ "$build" = /* ]] || build="$PWD/$build"
blindspot="$build/src/blindspot"
gen="$build/bench/gen_register"
peer="${PEER:-}"
peer_n="${PEER_N:-$n}"
runs="${RUNS:-3}"
peer_runs="${PEER_RUNS:-1}"
limit_s="${LIMIT_S:-2}"
limit_mib="${LIMIT_MIB:-500}"
har="$root/examples/webshop/har/home.har"
gnu_time=/usr/bin/time

for f in "$blindspot" "$gen"; do
  [[ -x "$f" ]] || { echo "register_scale.sh: $f not found; build the targets blindspot and gen_register first" >&2; exit 2; }
done
[[ -z "$peer" || -x "$peer" ]] || { echo "register_scale.sh: PEER=$peer is not an executable" >&2; exit 2; }
"$gnu_time" -f %e true >/dev/null 2>&1 || { echo "register_scale.sh: GNU time is required at $gnu_time (package 'time')" >&2; exit 2; }

work="$(mktemp -d "${TMPDIR:-/tmp}/register_scale.XXXXXX")"
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

"$gen" "$n" "$work/reg-$n.yaml"
[[ "$peer_n" == "$n" ]] || "$gen" "$peer_n" "$work/reg-$peer_n.yaml"
echo "register: $n activities + $n touchpoints, $(stat -c %s "$work/reg-$n.yaml") bytes; evidence: home.har; best of $runs runs (peer: $peer_runs)"
printf '%-8s %-6s %7s %9s %9s %9s %10s %12s\n' build format N wall_s user_s sys_s peak_MiB output_bytes

status=0
# measure LABEL BINARY N FORMAT CHECK RUNS: best (lowest wall) of RUNS runs.
measure() {
  local label="$1" bin="$2" size="$3" fmt="$4" check="$5" tries="$6"
  local best="" line rc
  for ((i = 0; i < tries; ++i)); do
    rc=0
    "$gnu_time" -f '%e %U %S %M' -o "$work/time.txt" \
      "$bin" audit --register "$work/reg-$size.yaml" --har "$har" --format "$fmt" --no-timestamp \
      --out "$work/out.$fmt" >/dev/null 2>"$work/stderr.txt" || rc=$?
    # Exit 1 means "findings at or above --fail-on", which a register this size has.
    if [[ $rc -ne 0 && $rc -ne 1 ]]; then
      echo "$label $fmt: exit code $rc" >&2
      head -20 "$work/stderr.txt" >&2
      status=1
      return
    fi
    line="$(tail -1 "$work/time.txt")"
    if [[ -z "$best" ]] || awk -v a="$line" -v b="$best" 'BEGIN { split(a, x, " "); split(b, y, " "); exit !(x[1] < y[1]) }'; then
      best="$line"
    fi
  done
  read -r wall user sys rss <<<"$best"
  printf '%-8s %-6s %7d %9.2f %9.2f %9.2f %10.1f %12d\n' "$label" "$fmt" "$size" "$wall" "$user" "$sys" \
    "$(awk -v k="$rss" 'BEGIN { print k / 1024 }')" "$(stat -c %s "$work/out.$fmt")"
  if [[ "$check" == 1 ]]; then
    if awk -v w="$wall" -v l="$limit_s" 'BEGIN { exit !(w >= l) }'; then
      echo "  FAIL: $fmt took ${wall} s (target < ${limit_s} s)"
      status=1
    fi
    if awk -v k="$rss" -v l="$limit_mib" 'BEGIN { exit !(k / 1024 >= l) }'; then
      echo "  FAIL: $fmt peaked at $((rss / 1024)) MiB (target < ${limit_mib} MiB)"
      status=1
    fi
  fi
}

for fmt in text json html; do
  measure this "$blindspot" "$n" "$fmt" 1 "$runs"
  [[ -z "$peer" ]] || measure peer "$peer" "$peer_n" "$fmt" 0 "$peer_runs"
done
exit $status
