#!/usr/bin/env bash
# Spreadsheet registers at 100,000 rows (issue 10: "100,000-row XLSX import under 3 s, export
# under 3 s"), side by side with openpyxl (Debian python3-openpyxl) in the same run:
#
#   bench/sheet_compare.sh [BUILD_DIR]
#
# 1. in process (bench/sheet_bench): export of a 100,000-activity register in the VNG layout to
#    XLSX and CSV, reading the cells back, and the spreadsheet importer (cells to a validated
#    register);
# 2. the CLI as a user runs it, wall time and peak memory: `blindspot export --out big.xlsx` from
#    that register as native JSON (reading the register included) and `blindspot import big.xlsx
#    --out back.json` (writing and re-reading the output included);
# 3. the peer on the same big.xlsx: openpyxl read-only reading every cell, and write-only writing
#    the same cells to a new workbook (openpyxl does no register mapping: a floor for the peer).
#
# BUILD_DIR (default build/release) must contain src/blindspot and bench/sheet_bench. Needs GNU
# time (/usr/bin/time) and /usr/bin/python3 with openpyxl. Exit 1 when a target is missed.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
build="${1:-build/release}"
[[ "$build" = /* ]] || build="$PWD/$build"
blindspot="$build/src/blindspot"
bench="$build/bench/sheet_bench"
py=/usr/bin/python3
for f in "$blindspot" "$bench"; do
  [[ -x "$f" ]] || { echo "sheet_compare.sh: $f not found; build the targets blindspot and sheet_bench" >&2; exit 2; }
done
/usr/bin/time -f %e true >/dev/null 2>&1 || { echo "sheet_compare.sh: GNU time is required (package 'time')" >&2; exit 2; }
"$py" -c "import openpyxl" 2>/dev/null || { echo "sheet_compare.sh: $py has no openpyxl (apt install python3-openpyxl)" >&2; exit 2; }

work="$(mktemp -d "${TMPDIR:-/tmp}/sheet_compare.XXXXXX")"
trap 'rm -rf "$work"' EXIT

echo "== in process (bench/sheet_bench, 100,000 rows) =="
"$bench" --benchmark_format=console 2>/dev/null | grep -E "^BM_|^Benchmark"

cat > "$work/peer.py" <<'PY'
import sys, time, openpyxl
src, dst = sys.argv[1], sys.argv[2]
t = time.perf_counter()
wb = openpyxl.load_workbook(src, read_only=True)
rows = [[c if c is not None else "" for c in r] for r in wb.worksheets[0].iter_rows(values_only=True)]
t_read = time.perf_counter() - t
t = time.perf_counter()
out = openpyxl.Workbook(write_only=True)
ws = out.create_sheet("Verwerkingsregister")
for r in rows:
    ws.append(r)
out.save(dst)
t_write = time.perf_counter() - t
print(f"{len(rows) - 1} {t_read:.2f} {t_write:.2f}")
PY

"$bench" --write-csv "$work/seed.csv"
"$blindspot" import "$work/seed.csv" --out "$work/register.json" >/dev/null 2>&1

secs=0
measure() {  # LABEL COMMAND...: prints wall seconds and peak MiB, leaves the seconds in $secs
  local label="$1" t
  shift
  /usr/bin/time -o "$work/time" -f "%e %M" "$@" >/dev/null 2>&1
  t=$(tail -1 "$work/time")
  secs="${t% *}"
  printf '%-36s %8s s %8s MiB\n' "$label" "$secs" "$((${t#* } / 1024))"
}
echo
echo "== the CLI (wall, peak memory) =="
measure "blindspot export -> big.xlsx" "$blindspot" export --register "$work/register.json" --out "$work/big.xlsx"
exp="$secs"
measure "blindspot import big.xlsx -> json" "$blindspot" import "$work/big.xlsx" --out "$work/back.json"
imp="$secs"
echo
echo "== the peer: openpyxl $("$py" -c 'import openpyxl; print(openpyxl.__version__)') on the same big.xlsx =="
read -r rows pread pwrite < <("$py" "$work/peer.py" "$work/big.xlsx" "$work/peer.xlsx")
printf '%-36s %8s s\n' "openpyxl read $rows rows" "$pread" "openpyxl write $rows rows" "$pwrite"
status=0
awk -v e="$exp" -v i="$imp" 'BEGIN { exit !(e < 3 && i < 3) }' || {
  echo "target missed: export ${exp} s, import ${imp} s (target 3 s each)"
  status=1
}
exit $status
