#!/usr/bin/env bash
# The server's speed (issue 9): `blindspot serve` under wrk against a database
# of 50 organisations, 10,000 activities and 10,000 touchpoints, on SQLite and
# on PostgreSQL (a throwaway cluster from scripts/pg_cluster.sh).
#
#   bench/server_bench.sh BUILD_DIR [OUT_DIR]
#
# Builds nothing: BUILD_DIR must hold bin/blindspot (or blindspot) and
# bench/gen_admin_db. Per backend:
#   1. gen_admin_db fills the database (bench/gen_admin_db.cc says what is in it);
#   2. `blindspot serve --db DB --listen 127.0.0.1:0` starts;
#   3. three wrk 4.1 processes run at once for RUN_SECONDS (default 60), paced
#      by bench/wrk/server.lua: API reads at API_RATE (default 400 req/s),
#      page reads at PAGE_RATE (100; 500 reads/s in all) and answer writes at
#      WRITE_RATE (100) alongside;
#      each prints a JSON line (rate, p50/p90/p99/max, errors, 409s).
# Then, on SQLite, a memory run: RUN_MINUTES (default 10) at 200 req/s
# (160 API reads, 20 pages, 20 writes) sampling the server's VmRSS every 5 s;
# start, max and end are printed. BACKENDS=sqlite or BACKENDS=postgres runs one.
# Results go to OUT_DIR (default a temp dir): one JSON line per run in results.jsonl.
set -euo pipefail
build=${1:?usage: $0 BUILD_DIR [OUT_DIR]}
out=${2:-$(mktemp -d /tmp/server_bench.XXXXXX)}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
bin=$build/src/blindspot
[ -x "$bin" ] || bin=$build/bin/blindspot
gen=$build/bench/gen_admin_db
[ -x "$bin" ] && [ -x "$gen" ] || { echo "$0: build blindspot and gen_admin_db in $build first" >&2; exit 1; }
command -v wrk >/dev/null || { echo "$0: wrk is not installed (apt-get install wrk)" >&2; exit 1; }
RUN_SECONDS=${RUN_SECONDS:-60}
RUN_MINUTES=${RUN_MINUTES:-10}
BACKENDS=${BACKENDS:-sqlite postgres}
THREADS=${THREADS:-64}
mkdir -p "$out"
results=$out/results.jsonl
: >"$results"
server_pid=
pg_dir=

cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  [ -n "$pg_dir" ] && bash "$root/scripts/pg_cluster.sh" stop "$pg_dir" >/dev/null 2>&1 || true
}
trap cleanup EXIT

log() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }
load() { cut -d' ' -f1-3 /proc/loadavg; }

start_server() {  # DB
  "$bin" serve --db "$1" --listen 127.0.0.1:0 --threads "$THREADS" >"$out/serve.out" 2>"$out/serve.err" &
  server_pid=$!
  for _ in $(seq 100); do
    if grep -q '^listening on ' "$out/serve.out" 2>/dev/null; then break; fi
    sleep 0.1
  done
  url=$(sed -n 's/^listening on //p' "$out/serve.out" | head -1)
  [ -n "$url" ] || { cat "$out/serve.err" >&2; exit 1; }
}

stop_server() {
  kill "$server_pid" && wait "$server_pid" 2>/dev/null || true
  server_pid=
}

rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$server_pid/status"; }
# The server's CPU time so far (user + system) in clock ticks.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$server_pid/stat"; }
# PostgreSQL's CPU time so far: the postmaster, its live backends and the
# children it has reaped (cutime + cstime), in clock ticks; 0 on SQLite.
db_cpu_ticks() {
  [ -n "$pg_dir" ] && [ -f "$pg_dir/data/postmaster.pid" ] || { echo 0; return; }
  local pm t
  pm=$(head -1 "$pg_dir/data/postmaster.pid")
  t=$(awk '{print $14 + $15 + $16 + $17}' "/proc/$pm/stat")
  for p in $(pgrep -P "$pm"); do
    t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0)))
  done
  echo "$t"
}
tck=$(getconf CLK_TCK)

# wrk_run MODE RATE CONNECTIONS SECONDS DATA LABEL: one paced wrk, its JSON line to stdout.
wrk_run() {
  local mode=$1 rate=$2 conns=$3 secs=$4 data=$5 label=$6
  local threads=$((conns < 2 ? conns : 2))
  BENCH_DATA=$data BENCH_MODE=$mode BENCH_RATE=$rate BENCH_THREADS=$threads \
    wrk -t"$threads" -c"$conns" -d"${secs}s" --timeout 5s -s "$here/wrk/server.lua" "$url" \
    >"$out/wrk-$label-$mode.txt" 2>&1 || true
  local json
  json=$(grep '^{"mode"' "$out/wrk-$label-$mode.txt" || echo '{"mode":"'"$mode"'","failed":true}')
  echo "{\"backend\":\"$label\",\"target_rate\":$rate,${json:1}"
}

# mixed LABEL DATA SECONDS API_RATE PAGE_RATE WRITE_RATE
mixed() {
  local label=$1 data=$2 secs=$3
  wrk_run reads "$4" 20 "$secs" "$data" "$label" >"$out/r.json" &
  local a=$!
  wrk_run pages "$5" 5 "$secs" "$data" "$label" >"$out/p.json" &
  local b=$!
  wrk_run writes "$6" 5 "$secs" "$data" "$label" >"$out/w.json" &
  local c=$!
  wait $a $b $c
  cat "$out/r.json" "$out/p.json" "$out/w.json" | tee -a "$results"
}

for backend in $BACKENDS; do
  data=$out/$backend
  mkdir -p "$data"
  if [ "$backend" = sqlite ]; then
    db=$data/blindspot.db
    rm -f "$db" "$db-wal" "$db-shm"
  else
    pg_dir=$(mktemp -d /tmp/server_bench_pg.XXXXXX)
    db=$(bash "$root/scripts/pg_cluster.sh" start "$pg_dir")
  fi
  log "$backend: generating the database"
  t0=$(date +%s)
  "$gen" "$db" "$data" 2>"$data/gen.err" | tee "$data/gen.out" >&2
  log "$backend: generated in $(($(date +%s) - t0)) s"
  start_server "$db"
  log "$backend: serving at $url (pid $server_pid); load $(load)"
  # Warm-up: 5 s of reads (page cache, prepared statements, pool connections).
  wrk_run reads 100 10 5 "$data" "$backend-warmup" >/dev/null
  l0=$(load)
  c0=$(cpu_ticks)
  d0=$(db_cpu_ticks)
  mixed "$backend" "$data" "$RUN_SECONDS" "${API_RATE:-400}" "${PAGE_RATE:-100}" "${WRITE_RATE:-100}"
  c1=$(cpu_ticks)
  d1=$(db_cpu_ticks)
  # The server's own CPU per request: what the load of other processes does not change.
  n=$(grep "\"backend\":\"$backend\"," "$results" | grep -o '"requests":[0-9]*' | cut -d: -f2 | paste -sd+ | bc)
  log "$backend: load at start $l0, at end $(load)"
  echo "{\"backend\":\"$backend\",\"load_start\":\"$l0\",\"load_end\":\"$(load)\",\"server_cpu_s\":$(echo "scale=2; ($c1 - $c0) / $tck" | bc),\"requests\":$n,\"server_cpu_ms_per_request\":$(echo "scale=3; ($c1 - $c0) * 1000 / $tck / $n" | bc),\"db_cpu_ms_per_request\":$(echo "scale=3; ($d1 - $d0) * 1000 / $tck / $n" | bc)}" |
    tee -a "$results"
  if [ "$backend" = sqlite ] && [ "$RUN_MINUTES" != 0 ]; then
    log "sqlite: memory run, $RUN_MINUTES min at 200 req/s"
    secs=$((RUN_MINUTES * 60))
    l0=$(load)
    rss_start=$(rss_kib)
    (mixed "$backend-memory" "$data" "$secs" 160 20 20 >/dev/null) &
    mix_pid=$!
    samples=()
    while kill -0 "$mix_pid" 2>/dev/null; do
      samples+=("$(rss_kib)")
      sleep 5
    done
    wait "$mix_pid" || true
    rss_end=$(rss_kib)
    max=$rss_start
    for s in "${samples[@]}"; do [ "$s" -gt "$max" ] && max=$s; done
    echo "{\"backend\":\"sqlite\",\"memory_minutes\":$RUN_MINUTES,\"rss_start_kib\":$rss_start,\"rss_max_kib\":$max,\"rss_end_kib\":$rss_end,\"samples\":${#samples[@]},\"load_start\":\"$l0\",\"load_end\":\"$(load)\"}" |
      tee -a "$results"
    printf '%s\n' "${samples[@]}" >"$out/rss_samples_kib.txt"
    grep '"backend":"sqlite-memory"' "$results" >&2 || true
  fi
  stop_server
  if [ -n "$pg_dir" ]; then
    bash "$root/scripts/pg_cluster.sh" stop "$pg_dir" >/dev/null 2>&1 || true
    pg_dir=
  fi
done
log "results in $results"
